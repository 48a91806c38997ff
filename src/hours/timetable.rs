//! The questions asked of a place's hours, with holidays and exceptions applied.

use chrono::{DateTime, Days, LocalResult, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

use super::{holidays, Holiday, Schedule, TimeRange};
use crate::clock::TIME_ZONE;

/// A one-off change for one day: closed, or open at other hours (an extra opening wins over a
/// holiday). It applies to the place whose key it names, or to every place of a centre.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Exception {
    pub key: String,
    pub date: NaiveDate,
    pub change: Change,
    pub note: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    Closed,
    Open(Vec<TimeRange>),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ClosedBecause {
    /// Not a day it opens on.
    Regular,
    Holiday(Holiday),
    /// A one-off closure, with the staff's note if any.
    Closure(Option<String>),
}

/// One day of a place.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Day {
    Open(Vec<TimeRange>),
    Closed(ClosedBecause),
}

/// Open or closed at an instant, and until when.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Status {
    Open {
        until: DateTime<Tz>,
    },
    /// `opens` is None when it does not open within a year; `today` says why today is closed,
    /// or is `Day::Open` when it opens later today or has closed for the day.
    Closed {
        opens: Option<DateTime<Tz>>,
        today: Day,
    },
}

/// How far ahead "when does it next open" looks.
const HORIZON_DAYS: u64 = 400;

/// A place's hours with the calendar applied: its schedule, the keys its exceptions may name
/// (its own and its centre's), and the exceptions known.
pub struct Timetable<'a> {
    pub schedule: &'a Schedule,
    pub keys: Vec<&'a str>,
    pub exceptions: &'a [Exception],
}

/// The instant of a wall-clock time in Chorzów. In the autumn hour that happens twice the first is
/// taken (the second for an end of hours); a time in the spring gap moves to just after it.
pub fn instant(date: NaiveDate, time: NaiveTime, end: bool) -> DateTime<Tz> {
    let local = date.and_time(time);
    match TIME_ZONE.from_local_datetime(&local) {
        LocalResult::Single(t) => t,
        LocalResult::Ambiguous(first, second) => {
            if end {
                second
            } else {
                first
            }
        }
        LocalResult::None => {
            let later = local + chrono::Duration::hours(1);
            TIME_ZONE
                .from_local_datetime(&later)
                .earliest()
                .unwrap_or_else(|| TIME_ZONE.from_utc_datetime(&local))
        }
    }
}

impl Timetable<'_> {
    pub fn day(&self, date: NaiveDate) -> Day {
        let exception = self
            .exceptions
            .iter()
            .find(|e| e.date == date && self.keys.contains(&e.key.as_str()));
        match exception {
            Some(Exception {
                change: Change::Closed,
                note,
                ..
            }) => Day::Closed(ClosedBecause::Closure(note.clone())),
            Some(Exception {
                change: Change::Open(hours),
                ..
            }) => Day::Open(hours.clone()),
            None => match holidays::holiday(date) {
                Some(holiday) => Day::Closed(ClosedBecause::Holiday(holiday)),
                None => {
                    let hours = self.schedule.on(date);
                    if hours.is_empty() {
                        Day::Closed(ClosedBecause::Regular)
                    } else {
                        Day::Open(hours)
                    }
                }
            },
        }
    }

    /// The seven days from `first`.
    pub fn week(&self, first: NaiveDate) -> Vec<(NaiveDate, Day)> {
        (0..7)
            .filter_map(|n| first.checked_add_days(Days::new(n)))
            .map(|d| (d, self.day(d)))
            .collect()
    }

    fn ranges(&self, date: NaiveDate) -> Vec<(DateTime<Tz>, DateTime<Tz>)> {
        match self.day(date) {
            Day::Open(hours) => hours
                .iter()
                .map(|r| (instant(date, r.start, false), instant(date, r.end, true)))
                .collect(),
            Day::Closed(_) => Vec::new(),
        }
    }

    /// The first opening strictly after `at`, within the horizon.
    pub fn next_opening(&self, at: DateTime<Utc>) -> Option<DateTime<Tz>> {
        let today = at.with_timezone(&TIME_ZONE).date_naive();
        (0..HORIZON_DAYS)
            .filter_map(|n| today.checked_add_days(Days::new(n)))
            .flat_map(|date| self.ranges(date))
            .map(|(start, _)| start)
            .find(|start| *start > at)
    }

    pub fn status(&self, at: DateTime<Utc>) -> Status {
        let today = at.with_timezone(&TIME_ZONE).date_naive();
        let open = self
            .ranges(today)
            .into_iter()
            .find(|(start, end)| *start <= at && at < *end);
        match open {
            Some((_, until)) => Status::Open { until },
            None => Status::Closed {
                opens: self.next_opening(at),
                today: self.day(today),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::Weekday;

    use super::*;
    use crate::hours::MonthlyRule;

    fn range(text: &str) -> Vec<TimeRange> {
        TimeRange::parse_list(text).expect("hours")
    }

    /// CPS: Mon 7–16, Tue–Thu 7–15, Fri 7–14.
    fn cps() -> Schedule {
        let mut schedule = Schedule::default();
        schedule.weekly[0] = range("07:00-16:00");
        for day in 1..=3 {
            schedule.weekly[day] = range("07:00-15:00");
        }
        schedule.weekly[4] = range("07:00-14:00");
        schedule
    }

    fn mediation() -> Schedule {
        Schedule {
            monthly: vec![MonthlyRule {
                nth: 3,
                weekday: Weekday::Mon,
                hours: range("13:00-16:00"),
            }],
            ..Schedule::default()
        }
    }

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .expect("instant")
            .with_timezone(&Utc)
    }

    fn local(t: DateTime<Tz>) -> String {
        t.format("%Y-%m-%d %H:%M %Z").to_string()
    }

    fn table<'a>(schedule: &'a Schedule, exceptions: &'a [Exception]) -> Timetable<'a> {
        Timetable {
            schedule,
            keys: vec!["cps"],
            exceptions,
        }
    }

    #[test]
    fn open_on_a_monday_morning_until_four() {
        let schedule = cps();
        let status = table(&schedule, &[]).status(at("2026-11-23T09:00:00+01:00"));
        let Status::Open { until } = status else {
            panic!("{status:?}")
        };
        assert_eq!(local(until), "2026-11-23 16:00 CET");
    }

    #[test]
    fn closed_on_saturday_opens_monday() {
        let schedule = cps();
        let status = table(&schedule, &[]).status(at("2026-11-28T10:00:00+01:00"));
        let Status::Closed {
            opens: Some(opens),
            today: Day::Closed(ClosedBecause::Regular),
        } = status
        else {
            panic!("{status:?}")
        };
        assert_eq!(local(opens), "2026-11-30 07:00 CET");
    }

    #[test]
    fn holidays_close_and_are_named() {
        let schedule = cps();
        let table = table(&schedule, &[]);
        let status = table.status(at("2026-11-11T10:00:00+01:00"));
        let Status::Closed {
            opens: Some(opens),
            today,
        } = status
        else {
            panic!("{status:?}")
        };
        assert_eq!(
            today,
            Day::Closed(ClosedBecause::Holiday(Holiday::IndependenceDay))
        );
        assert_eq!(local(opens), "2026-11-12 07:00 CET");
        // 24 December 2026 (Thursday) to 26 December: next opening Monday 28th.
        let status = table.status(at("2026-12-24T08:00:00+01:00"));
        let Status::Closed {
            opens: Some(opens),
            today,
        } = status
        else {
            panic!("{status:?}")
        };
        assert_eq!(
            today,
            Day::Closed(ClosedBecause::Holiday(Holiday::ChristmasEve))
        );
        assert_eq!(local(opens), "2026-12-28 07:00 CET");
    }

    #[test]
    fn mediation_opens_on_third_mondays_only_and_skips_holidays() {
        let schedule = mediation();
        let table = table(&schedule, &[]);
        let opens = |t| table.next_opening(at(t)).map(local);
        assert_eq!(
            opens("2026-11-17T09:00:00+01:00").as_deref(),
            Some("2026-12-21 13:00 CET")
        );
        assert_eq!(
            opens("2026-12-21T17:00:00+01:00").as_deref(),
            Some("2027-01-18 13:00 CET")
        );
        assert_eq!(
            table.day(NaiveDate::from_ymd_opt(2026, 11, 16).expect("d")),
            Day::Open(range("13:00-16:00"))
        );
    }

    #[test]
    fn exceptions_close_a_day_or_open_an_extra_one() {
        let schedule = cps();
        let day = |d| NaiveDate::from_ymd_opt(2026, 11, d).expect("date");
        let exceptions = [
            Exception {
                key: "cps".into(),
                date: day(24),
                change: Change::Closed,
                note: Some("szkolenie".into()),
            },
            Exception {
                key: "cps".into(),
                date: day(28),
                change: Change::Open(range("09:00-12:00")),
                note: None,
            },
            Exception {
                key: "other".into(),
                date: day(25),
                change: Change::Closed,
                note: None,
            },
        ];
        let table = table(&schedule, &exceptions);
        assert_eq!(
            table.day(day(24)),
            Day::Closed(ClosedBecause::Closure(Some("szkolenie".into())))
        );
        assert_eq!(table.day(day(28)), Day::Open(range("09:00-12:00")));
        assert_eq!(
            table.day(day(25)),
            Day::Open(range("07:00-15:00")),
            "another place's closure"
        );
        let opens = table
            .next_opening(at("2026-11-23T17:00:00+01:00"))
            .map(local);
        assert_eq!(opens.as_deref(), Some("2026-11-25 07:00 CET"));
        let week = table.week(day(23));
        assert_eq!(week.len(), 7);
        assert_eq!(week[5].1, Day::Open(range("09:00-12:00")));
        assert_eq!(week[6].1, Day::Closed(ClosedBecause::Regular));
    }

    #[test]
    fn the_night_of_the_autumn_change_counts_hours_right() {
        // 25 Oct 2026, 02:30 happens twice; CPS next opens Monday 7:00 CET.
        let schedule = cps();
        let table = table(&schedule, &[]);
        for t in ["2026-10-25T00:30:00Z", "2026-10-25T01:30:00Z"] {
            let Status::Closed {
                opens: Some(opens), ..
            } = table.status(at(t))
            else {
                panic!("{t}")
            };
            assert_eq!(local(opens), "2026-10-26 07:00 CET");
        }
        // The Friday before, still summer time.
        let Status::Open { until } = table.status(at("2026-10-23T10:00:00+02:00")) else {
            panic!()
        };
        assert_eq!(local(until), "2026-10-23 14:00 CEST");
    }

    #[test]
    fn the_night_of_the_spring_change_counts_hours_right() {
        // 28 Mar 2027 is Easter Sunday, 29 Mar Easter Monday: CPS opens Tuesday at 7:00 CEST.
        let schedule = cps();
        let table = table(&schedule, &[]);
        let Status::Closed {
            opens: Some(opens),
            today,
        } = table.status(at("2027-03-28T01:30:00Z"))
        else {
            panic!()
        };
        assert_eq!(
            today,
            Day::Closed(ClosedBecause::Holiday(Holiday::EasterSunday))
        );
        assert_eq!(local(opens), "2027-03-30 07:00 CEST");
        // A range starting in the missing hour moves to just after it.
        let date = NaiveDate::from_ymd_opt(2027, 3, 28).expect("d");
        let start = instant(date, NaiveTime::from_hms_opt(2, 30, 0).expect("t"), false);
        assert_eq!(start.format("%H:%M %Z").to_string(), "03:30 CEST");
    }

    #[test]
    fn a_place_without_hours_never_opens() {
        let schedule = Schedule::default();
        assert!(schedule.is_unknown());
        let status = table(&schedule, &[]).status(at("2026-11-23T09:00:00+01:00"));
        assert_eq!(
            status,
            Status::Closed {
                opens: None,
                today: Day::Closed(ClosedBecause::Regular)
            }
        );
    }
}
