//! Booking, as plain rules: which slots a bookable service offers (from its hours, with holidays and
//! closures applied, inside the horizon and past the minimum notice), and the contact details a
//! booking needs. No database here: `db::booking` keeps the bookings, with constraints that make a
//! second booking of a seat impossible.

mod contact;
pub mod ics;
pub mod reminders;

use chrono::{DateTime, Days, Duration, Utc};
use chrono_tz::Tz;

pub use contact::{Name, NotAName, Phone};

use crate::{
    hours::{instant, Day, Timetable},
    i18n::Text,
};

/// How a service is booked (from the directory file).
#[derive(Clone, Debug, PartialEq)]
pub struct BookingRules {
    pub slot_minutes: u32,
    /// People per slot.
    pub capacity: u32,
    pub horizon_days: u32,
    pub min_notice_minutes: u32,
    /// Upcoming bookings one person may hold for this service.
    pub per_person: u32,
    /// What to bring, and what to expect.
    pub bring: Option<Text>,
    pub expect: Option<Text>,
    /// Hours before the visit when reminders go out.
    pub reminder_hours: Vec<u32>,
}

/// A slot: where it starts and ends, in Chorzów time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Slot {
    pub start: DateTime<Tz>,
    pub end: DateTime<Tz>,
}

impl BookingRules {
    /// The first moment a slot may start when booked at `now`: past the minimum notice.
    pub fn earliest(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        now + Duration::minutes(i64::from(self.min_notice_minutes))
    }

    /// Every slot of the days from `today` to the end of the horizon, whether taken or not: the
    /// hours cut into slot-long pieces that fit, none on a holiday or a closed day. The minimum
    /// notice is not applied here ([`BookingRules::earliest`] is, where the slots are used): the
    /// list is the same all day, so it can be cut once a day (see `bot::booking::availability`).
    pub fn slots_from(&self, table: &Timetable<'_>, today: chrono::NaiveDate) -> Vec<Slot> {
        let length = Duration::minutes(i64::from(self.slot_minutes.max(1)));
        let mut slots = Vec::new();
        for offset in 0..=u64::from(self.horizon_days) {
            let Some(date) = today.checked_add_days(Days::new(offset)) else {
                break;
            };
            let Day::Open(ranges) = table.day(date) else {
                continue;
            };
            for range in ranges {
                let mut start = range.start;
                loop {
                    let (end, overflow) = start.overflowing_add_signed(length);
                    if overflow != 0 || end > range.end {
                        break;
                    }
                    slots.push(Slot {
                        start: instant(date, start, false),
                        end: instant(date, end, true),
                    });
                    start = end;
                }
            }
        }
        slots
    }
}

#[cfg(test)]
mod tests {
    use chrono::Weekday;

    use chrono::NaiveDate;

    use super::*;
    use crate::hours::{Change, Exception, MonthlyRule, Schedule, TimeRange};

    impl BookingRules {
        /// The bookable slots at `now`, taken or not, as `bot::booking::availability` finds them:
        /// the day's cut, past the minimum notice.
        fn slots(&self, table: &Timetable<'_>, now: DateTime<Utc>) -> Vec<Slot> {
            let today = now.with_timezone(&crate::clock::TIME_ZONE).date_naive();
            let earliest = self.earliest(now);
            let mut slots = self.slots_from(table, today);
            slots.retain(|slot| slot.start >= earliest);
            slots
        }
    }

    fn rules(slot_minutes: u32) -> BookingRules {
        BookingRules {
            slot_minutes,
            capacity: 1,
            horizon_days: 28,
            min_notice_minutes: 120,
            per_person: 1,
            bring: None,
            expect: None,
            reminder_hours: vec![24, 2],
        }
    }

    fn legal_aid() -> Schedule {
        let mut schedule = Schedule::default();
        schedule.weekly[0] = TimeRange::parse_list("13:00-17:00").expect("hours");
        schedule.weekly[2] = TimeRange::parse_list("13:00-17:00").expect("hours");
        schedule
    }

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .expect("instant")
            .with_timezone(&Utc)
    }

    fn starts(slots: &[Slot]) -> Vec<String> {
        slots
            .iter()
            .map(|s| s.start.format("%m-%d %H:%M").to_string())
            .collect()
    }

    #[test]
    fn slots_fill_the_hours_and_skip_holidays_and_the_minimum_notice() {
        let schedule = legal_aid();
        let table = Timetable {
            schedule: &schedule,
            keys: vec!["legal-aid"],
            exceptions: &[],
        };
        // Monday 9 Nov 2026, 12:00: today's 13:00 is inside the two-hour notice, 14:00 is not.
        let slots = rules(30).slots(&table, at("2026-11-09T12:00:00+01:00"));
        let starts = starts(&slots);
        assert_eq!(
            &starts[..6],
            [
                "11-09 14:00",
                "11-09 14:30",
                "11-09 15:00",
                "11-09 15:30",
                "11-09 16:00",
                "11-09 16:30"
            ]
        );
        assert!(
            !starts.iter().any(|s| s.starts_with("11-11")),
            "11 November is a holiday"
        );
        assert!(starts.contains(&"11-16 13:00".to_owned()));
        assert_eq!(
            slots
                .iter()
                .filter(|s| s.start.format("%m-%d").to_string() == "11-16")
                .count(),
            8
        );
        assert!(slots
            .iter()
            .all(|s| s.end - s.start == Duration::minutes(30)));
        // The horizon: 28 days, up to Monday 7 December.
        assert_eq!(starts.last().map(String::as_str), Some("12-07 16:30"));
    }

    #[test]
    fn mediation_offers_three_hours_on_third_mondays_only() {
        let schedule = Schedule {
            monthly: vec![MonthlyRule {
                nth: 3,
                weekday: Weekday::Mon,
                hours: TimeRange::parse_list("13:00-16:00").expect("h"),
            }],
            ..Schedule::default()
        };
        let exceptions = [Exception {
            key: "cps".into(),
            date: NaiveDate::from_ymd_opt(2026, 12, 21).expect("date"),
            change: Change::Closed,
            note: None,
        }];
        let open = Timetable {
            schedule: &schedule,
            keys: vec!["mediation", "cps"],
            exceptions: &[],
        };
        let slots = rules(60).slots(&open, at("2026-11-30T10:00:00+01:00"));
        assert_eq!(
            starts(&slots),
            ["12-21 13:00", "12-21 14:00", "12-21 15:00"]
        );
        let closed = Timetable {
            schedule: &schedule,
            keys: vec!["mediation", "cps"],
            exceptions: &exceptions,
        };
        assert!(rules(60)
            .slots(&closed, at("2026-11-30T10:00:00+01:00"))
            .is_empty());
    }
}
