//! When to remind: a number of hours before the visit, not at night. A reminder that would fall
//! between 21:00 and 8:00 moves to 20:00 the evening before or to 8:00, whichever keeps it before
//! the visit; one whose time has passed when the booking is made is not sent at all.

use chrono::{DateTime, Days, Duration, NaiveTime, Timelike, Utc};
use chrono_tz::Tz;

use crate::{clock::TIME_ZONE, hours::instant};

fn at(date: chrono::NaiveDate, hour: u32) -> DateTime<Tz> {
    instant(
        date,
        NaiveTime::from_hms_opt(hour, 0, 0).unwrap_or_default(),
        false,
    )
}

/// The moment one reminder `hours` before `visit` is sent.
pub fn reminder_time(visit: DateTime<Tz>, hours: u32) -> Option<DateTime<Tz>> {
    let due = (visit - Duration::hours(i64::from(hours))).with_timezone(&TIME_ZONE);
    let hour = due.hour();
    if (8..21).contains(&hour) {
        return Some(due);
    }
    let date = due.date_naive();
    let (evening_date, morning_date) = if hour >= 21 {
        (date, date.checked_add_days(Days::new(1))?)
    } else {
        (date.checked_sub_days(Days::new(1))?, date)
    };
    let morning = at(morning_date, 8);
    if morning < visit {
        // Later is closer to the visit, and still before it.
        let evening = at(evening_date, 20);
        Some(if hour >= 21 { evening } else { morning })
    } else {
        Some(at(evening_date, 20))
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
