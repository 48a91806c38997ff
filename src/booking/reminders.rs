//! When to remind: a number of hours before the visit, not at night. A reminder that would fall
//! between 21:00 and 8:00 moves to 20:00 the evening before or to 8:00, whichever keeps it before
//! the visit; one whose time has passed when the booking is made is not sent at all. The same
//! night holds for the waiting list's offers: one found at night goes out at 8:00, and the minutes
//! it is held for count in the day only ([`daytime`], [`daytime_minutes_after`]).

use chrono::{DateTime, Days, Duration, NaiveTime, Timelike, Utc};
use chrono_tz::Tz;

use crate::{clock::TIME_ZONE, hours::instant};

fn at_hour(date: chrono::NaiveDate, hour: u32) -> DateTime<Tz> {
    instant(
        date,
        NaiveTime::from_hms_opt(hour, 0, 0).unwrap_or_default(),
        false,
    )
}

/// The hour the night ends (8:00) and the hour it begins (21:00), Chorzów time.
const MORNING: u32 = 8;
const NIGHT: u32 = 21;

/// `at`, or 8:00 when `at` falls in the night (21:00 to 8:00).
pub fn daytime(at: DateTime<Utc>) -> DateTime<Utc> {
    let local = at.with_timezone(&TIME_ZONE);
    let hour = local.hour();
    if (MORNING..NIGHT).contains(&hour) {
        return at;
    }
    let date = local.date_naive();
    let morning_date = if hour >= NIGHT {
        date.checked_add_days(Days::new(1)).unwrap_or(date)
    } else {
        date
    };
    at_hour(morning_date, MORNING).with_timezone(&Utc)
}

/// The moment `minutes` of daytime have passed since `from` (itself in the day): the minutes left
/// at 21:00 go on from 8:00 the next morning.
pub fn daytime_minutes_after(from: DateTime<Utc>, minutes: u32) -> DateTime<Utc> {
    let mut at = daytime(from);
    let mut left = Duration::minutes(i64::from(minutes));
    // Each round ends a day's remaining time; a hold longer than a day takes several.
    for _ in 0..400 {
        let local = at.with_timezone(&TIME_ZONE);
        let night = at_hour(local.date_naive(), NIGHT).with_timezone(&Utc);
        if at + left <= night {
            return at + left;
        }
        left -= night - at;
        at = daytime(night);
    }
    at + left
}

/// The moment one reminder `hours` before `visit` is sent.
pub fn reminder_time(visit: DateTime<Tz>, hours: u32) -> Option<DateTime<Tz>> {
    let due = (visit - Duration::hours(i64::from(hours))).with_timezone(&TIME_ZONE);
    let hour = due.hour();
    if (MORNING..NIGHT).contains(&hour) {
        return Some(due);
    }
    let date = due.date_naive();
    let (evening_date, morning_date) = if hour >= NIGHT {
        (date, date.checked_add_days(Days::new(1))?)
    } else {
        (date.checked_sub_days(Days::new(1))?, date)
    };
    let morning = at_hour(morning_date, MORNING);
    if morning < visit {
        // Later is closer to the visit, and still before it.
        let evening = at_hour(evening_date, 20);
        Some(if hour >= NIGHT { evening } else { morning })
    } else {
        Some(at_hour(evening_date, 20))
    }
}

/// The reminders still to send for a visit booked at `now`: passed ones and duplicates dropped.
pub fn reminder_times(
    visit: DateTime<Tz>,
    hours: &[u32],
    now: DateTime<Utc>,
) -> Vec<DateTime<Utc>> {
    let mut times: Vec<DateTime<Utc>> = hours
        .iter()
        .filter_map(|h| reminder_time(visit, *h))
        .map(|t| t.with_timezone(&Utc))
        .filter(|t| *t > now && *t < visit.with_timezone(&Utc))
        .collect();
    times.sort();
    times.dedup();
    times
}

#[cfg(test)]
mod tests {
    use super::*;

    fn local(text: &str) -> DateTime<Tz> {
        DateTime::parse_from_rfc3339(text)
            .expect("instant")
            .with_timezone(&TIME_ZONE)
    }

    fn shown(t: Option<DateTime<Tz>>) -> String {
        t.map(|t| t.format("%m-%d %H:%M").to_string())
            .unwrap_or_default()
    }

    #[test]
    fn daytime_reminders_stay_where_they_are() {
        let visit = local("2026-11-16T13:00:00+01:00");
        assert_eq!(shown(reminder_time(visit, 24)), "11-15 13:00");
        assert_eq!(shown(reminder_time(visit, 2)), "11-16 11:00");
    }

    #[test]
    fn night_reminders_move_to_eight_or_to_the_evening_before() {
        // 2 h before 9:30 is 7:30: 8:00 is still before the visit.
        assert_eq!(
            shown(reminder_time(local("2026-11-16T09:30:00+01:00"), 2)),
            "11-16 08:00"
        );
        // 2 h before 8:00 is 6:00: 8:00 would be too late, so 20:00 the evening before.
        assert_eq!(
            shown(reminder_time(local("2026-11-16T08:00:00+01:00"), 2)),
            "11-15 20:00"
        );
        // 24 h before 22:30 is 22:30 the day before: moved back to 20:00 that evening.
        assert_eq!(
            shown(reminder_time(local("2026-11-16T22:30:00+01:00"), 24)),
            "11-15 20:00"
        );
        // Exactly 21:00 is night; exactly 8:00 is not.
        assert_eq!(
            shown(reminder_time(local("2026-11-16T23:00:00+01:00"), 2)),
            "11-16 20:00"
        );
        assert_eq!(
            shown(reminder_time(local("2026-11-16T10:00:00+01:00"), 2)),
            "11-16 08:00"
        );
    }

    #[test]
    fn offers_wait_for_the_morning_and_their_minutes_stop_at_night() {
        let utc = |t: &str| local(t).with_timezone(&Utc);
        let shown = |t: DateTime<Utc>| {
            t.with_timezone(&TIME_ZONE)
                .format("%m-%d %H:%M")
                .to_string()
        };
        assert_eq!(
            shown(daytime(utc("2026-11-10T12:00:00+01:00"))),
            "11-10 12:00"
        );
        assert_eq!(
            shown(daytime(utc("2026-11-10T07:59:00+01:00"))),
            "11-10 08:00"
        );
        assert_eq!(
            shown(daytime(utc("2026-11-10T21:00:00+01:00"))),
            "11-11 08:00"
        );
        assert_eq!(
            shown(daytime(utc("2026-11-10T23:30:00+01:00"))),
            "11-11 08:00"
        );
        let after = |t: &str, m| shown(daytime_minutes_after(utc(t), m));
        assert_eq!(after("2026-11-10T12:00:00+01:00", 30), "11-10 12:30");
        assert_eq!(after("2026-11-10T20:45:00+01:00", 30), "11-11 08:15");
        assert_eq!(after("2026-11-10T20:30:00+01:00", 30), "11-10 21:00");
        assert_eq!(after("2026-11-10T02:00:00+01:00", 60), "11-10 09:00");
        // Thirteen hours of day a day: a day and a half of minutes ends the next afternoon.
        assert_eq!(
            after("2026-11-10T08:00:00+01:00", 13 * 60 + 90),
            "11-11 09:30"
        );
        // Across the change to summer time (29 March 2026) the night is still 21:00 to 8:00.
        assert_eq!(after("2026-03-28T20:50:00+01:00", 20), "03-29 08:10");
    }

    #[test]
    fn passed_reminders_are_not_sent() {
        let visit = local("2026-11-16T14:30:00+01:00");
        let now = local("2026-11-16T12:00:00+01:00").with_timezone(&Utc);
        let times = reminder_times(visit, &[24, 2], now);
        assert_eq!(times.len(), 1);
        assert_eq!(
            times[0]
                .with_timezone(&TIME_ZONE)
                .format("%H:%M")
                .to_string(),
            "12:30"
        );
        assert!(reminder_times(visit, &[24, 2], visit.with_timezone(&Utc)).is_empty());
    }
}
