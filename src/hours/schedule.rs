//! Regular hours: time ranges per weekday, and rules such as "every third Monday of the month".

use std::{fmt, str::FromStr};

use chrono::{Datelike, NaiveDate, NaiveTime, Weekday};

/// Opening hours within one day, `start` before `end` (e.g. 07:00–15:00).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TimeRange {
    pub start: NaiveTime,
    pub end: NaiveTime,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("{0:?} is not opening hours like 07:00-15:00 (or 7.00-15.00), the start before the end")]
pub struct TimeRangeError(pub String);

impl TimeRange {
    pub fn new(start: NaiveTime, end: NaiveTime) -> Option<Self> {
        (start < end).then_some(Self { start, end })
    }

    /// One or more ranges separated by commas: `"07:00-12:00, 13:00-16:00"`.
    pub fn parse_list(text: &str) -> Result<Vec<TimeRange>, TimeRangeError> {
        let mut ranges = text
            .split(',')
            .map(str::parse)
            .collect::<Result<Vec<TimeRange>, _>>()
            .map_err(|_| TimeRangeError(text.to_owned()))?;
        ranges.sort();
        if ranges.windows(2).any(|pair| pair[0].end > pair[1].start) {
            return Err(TimeRangeError(text.to_owned()));
        }
        Ok(ranges)
    }
}

/// `ranges` less `cut`: what stays open when those hours are closed.
pub fn without(ranges: &[TimeRange], cut: TimeRange) -> Vec<TimeRange> {
    let mut kept = Vec::new();
    for range in ranges {
        if let Some(before) = TimeRange::new(range.start, range.end.min(cut.start)) {
            kept.push(before);
        }
        if let Some(after) = TimeRange::new(range.start.max(cut.end), range.end) {
            kept.push(after);
        }
    }
    kept
}

/// `ranges` with `added` (an extra opening), overlapping and touching ranges merged.
pub fn with(ranges: &[TimeRange], added: TimeRange) -> Vec<TimeRange> {
    let mut all: Vec<TimeRange> = ranges.iter().copied().chain([added]).collect();
    all.sort();
    let mut merged: Vec<TimeRange> = Vec::new();
    for range in all {
        match merged.last_mut() {
            Some(last) if range.start <= last.end => last.end = last.end.max(range.end),
            _ => merged.push(range),
        }
    }
    merged
}

/// Ranges as the `place_exception` table stores them: `"09:00-12:00, 13:00-17:00"`.
pub fn stored(ranges: &[TimeRange]) -> String {
    ranges
        .iter()
        .map(|r| format!("{}-{}", r.start.format("%H:%M"), r.end.format("%H:%M")))
        .collect::<Vec<_>>()
        .join(", ")
}

fn parse_time(text: &str) -> Option<NaiveTime> {
    let (hour, minute) = text.trim().split_once([':', '.'])?;
    if minute.len() != 2 || hour.is_empty() || hour.len() > 2 {
        return None;
    }
    let hour: u32 = hour.parse().ok()?;
    let minute: u32 = minute.parse().ok()?;
    if minute > 59 {
        return None;
    }
    // 24:00 is the end of the day.
    match hour {
        0..=23 => NaiveTime::from_hms_opt(hour, minute, 0),
        24 if minute == 0 => NaiveTime::from_hms_opt(23, 59, 59),
        _ => None,
    }
}

impl FromStr for TimeRange {
    type Err = TimeRangeError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let error = || TimeRangeError(text.to_owned());
        let (start, end) = text.split_once(['-', '–']).ok_or_else(error)?;
        let start = parse_time(start).ok_or_else(error)?;
        let end = parse_time(end).ok_or_else(error)?;
        TimeRange::new(start, end).ok_or_else(error)
    }
}

impl fmt::Display for TimeRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}–{}",
            self.start.format("%-H:%M"),
            self.end.format("%-H:%M")
        )
    }
}

/// "Every `nth` `weekday` of the month", with its hours (mediation: third Monday, 13:00–16:00).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MonthlyRule {
    /// 1 to 5; 5 means the fifth, which some months do not have.
    pub nth: u8,
    pub weekday: Weekday,
    pub hours: Vec<TimeRange>,
}

impl MonthlyRule {
    pub fn matches(&self, date: NaiveDate) -> bool {
        date.weekday() == self.weekday && (date.day0() / 7 + 1) as u8 == self.nth
    }
}

/// A place's regular hours, before holidays and exceptions.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Schedule {
    /// Monday first.
    pub weekly: [Vec<TimeRange>; 7],
    pub monthly: Vec<MonthlyRule>,
}

impl Schedule {
    /// No hours at all: the facts do not give any.
    pub fn is_unknown(&self) -> bool {
        self.weekly.iter().all(Vec::is_empty) && self.monthly.is_empty()
    }

    /// The regular hours on `date`.
    pub fn on(&self, date: NaiveDate) -> Vec<TimeRange> {
        let mut ranges = self.weekly[date.weekday().num_days_from_monday() as usize].clone();
        for rule in self.monthly.iter().filter(|rule| rule.matches(date)) {
            ranges.extend(rule.hours.iter().copied());
        }
        ranges.sort();
        ranges.dedup();
        ranges
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn time(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).expect("time")
    }

    #[test]
    fn ranges_parse_in_the_forms_the_pages_use() {
        let range = TimeRange {
            start: time(7, 0),
            end: time(15, 0),
        };
        assert_eq!("07:00-15:00".parse(), Ok(range));
        assert_eq!("7.00 – 15.00".parse(), Ok(range));
        assert_eq!(range.to_string(), "7:00–15:00");
        for bad in [
            "",
            "7-15",
            "15:00-07:00",
            "25:00-26:00",
            "07:60-08:00",
            "07:00",
            "a-b",
            "07:000-08:00",
        ] {
            assert!(bad.parse::<TimeRange>().is_err(), "{bad:?}");
        }
        assert_eq!(
            TimeRange::parse_list("13:00-16:00, 07:00-12:00").map(|l| l.len()),
            Ok(2)
        );
        assert!(
            TimeRange::parse_list("07:00-12:00, 11:00-16:00").is_err(),
            "overlap"
        );
    }

    #[test]
    fn the_third_monday_is_found() {
        let rule = MonthlyRule {
            nth: 3,
            weekday: Weekday::Mon,
            hours: vec![],
        };
        let date = |s| NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date");
        for third in ["2026-11-16", "2026-12-21", "2027-01-18", "2027-02-15"] {
            assert!(rule.matches(date(third)), "{third}");
        }
        for other in ["2026-11-09", "2026-11-23", "2026-11-17", "2026-12-14"] {
            assert!(!rule.matches(date(other)), "{other}");
        }
    }

    #[test]
    fn hours_are_cut_and_added() {
        let list = |text: &str| TimeRange::parse_list(text).expect("hours");
        let one = |text: &str| text.parse::<TimeRange>().expect("range");
        let day = list("13:00-17:00");
        assert_eq!(
            without(&day, one("14:00-15:00")),
            list("13:00-14:00, 15:00-17:00")
        );
        assert_eq!(without(&day, one("12:00-14:00")), list("14:00-17:00"));
        assert!(without(&day, one("12:00-18:00")).is_empty());
        assert_eq!(without(&day, one("8:00-9:00")), day);
        assert_eq!(
            with(&day, one("9:00-12:00")),
            list("09:00-12:00, 13:00-17:00")
        );
        assert_eq!(with(&day, one("12:00-13:30")), list("12:00-17:00"));
        assert_eq!(with(&[], one("9:00-12:00")), list("09:00-12:00"));
        assert_eq!(
            stored(&list("9:00-12:00, 13:00-17:00")),
            "09:00-12:00, 13:00-17:00"
        );
        assert_eq!(TimeRange::parse_list(&stored(&day)), Ok(day));
    }
}
