//! The calendar file sent with a confirmation: RFC 5545, times in Europe/Warsaw (with the zone's
//! rules included, as the standard requires for a TZID), a stable UID per booking.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

/// What goes into the calendar entry.
pub struct Visit<'a> {
    /// Stable for the booking, moves included.
    pub uid: String,
    pub start: DateTime<Tz>,
    pub end: DateTime<Tz>,
    pub summary: &'a str,
    pub location: &'a str,
    pub description: &'a str,
    pub created: DateTime<Utc>,
    /// Rises with each change of the entry (a move, a cancellation), so calendars apply it.
    pub sequence: i64,
    /// A cancellation: the file asks the calendar to remove the entry.
    pub cancelled: bool,
}

/// Escapes text for a TEXT value (backslash, semicolon, comma, newline).
fn escape(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace(';', "\\;")
        .replace(',', "\\,")
        .replace('\n', "\\n")
}

/// Folds a content line at 75 octets, never inside a character, as RFC 5545 section 3.1 asks.
fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut width = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out.push_str("\r\n");
    out
}

/// The stable UID of a booking's calendar entry (a move keeps the entry, updated).
pub fn uid(booking_id: i64) -> String {
    format!("booking-{booking_id}@okienko")
}

/// One visit's calendar file (sent to the person: their entry, or its cancellation).
pub fn calendar(visit: &Visit<'_>) -> String {
    calendar_of(std::slice::from_ref(visit), visit.cancelled)
}

/// A calendar file of many visits (a service's visits, for the staff's calendar); `cancel` makes
/// it a cancellation of them.
pub fn calendar_of(visits: &[Visit<'_>], cancel: bool) -> String {
    let local = |t: DateTime<Tz>| t.format("%Y%m%dT%H%M%S").to_string();
    let mut lines = vec![
        "BEGIN:VCALENDAR".to_owned(),
        "VERSION:2.0".to_owned(),
        "PRODID:-//Okienko//Chorzow//PL".to_owned(),
        "CALSCALE:GREGORIAN".to_owned(),
        format!("METHOD:{}", if cancel { "CANCEL" } else { "PUBLISH" }),
        "BEGIN:VTIMEZONE".to_owned(),
        "TZID:Europe/Warsaw".to_owned(),
        "BEGIN:DAYLIGHT".to_owned(),
        "TZOFFSETFROM:+0100".to_owned(),
        "TZOFFSETTO:+0200".to_owned(),
        "TZNAME:CEST".to_owned(),
        "DTSTART:19700329T020000".to_owned(),
        "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU".to_owned(),
        "END:DAYLIGHT".to_owned(),
        "BEGIN:STANDARD".to_owned(),
        "TZOFFSETFROM:+0200".to_owned(),
        "TZOFFSETTO:+0100".to_owned(),
        "TZNAME:CET".to_owned(),
        "DTSTART:19701025T030000".to_owned(),
        "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU".to_owned(),
        "END:STANDARD".to_owned(),
        "END:VTIMEZONE".to_owned(),
    ];
    for visit in visits {
        lines.extend([
            "BEGIN:VEVENT".to_owned(),
            format!("UID:{}", visit.uid),
            format!("SEQUENCE:{}", visit.sequence),
            format!("DTSTAMP:{}", visit.created.format("%Y%m%dT%H%M%SZ")),
            format!("DTSTART;TZID=Europe/Warsaw:{}", local(visit.start)),
            format!("DTEND;TZID=Europe/Warsaw:{}", local(visit.end)),
            format!("SUMMARY:{}", escape(visit.summary)),
            format!("LOCATION:{}", escape(visit.location)),
            format!("DESCRIPTION:{}", escape(visit.description)),
            format!(
                "STATUS:{}",
                if visit.cancelled {
                    "CANCELLED"
                } else {
                    "CONFIRMED"
                }
            ),
            "END:VEVENT".to_owned(),
        ]);
    }
    lines.push("END:VCALENDAR".to_owned());
    lines.iter().map(|l| fold(l)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_folded_at_75_octets_and_end_with_crlf() {
        let long = format!("DESCRIPTION:{}", "żółć ".repeat(40));
        let folded = fold(&long);
        for line in folded.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(line.len() <= 75, "{} octets", line.len());
        }
        assert_eq!(folded.replace("\r\n ", ""), format!("{long}\r\n"));
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
    }
}
