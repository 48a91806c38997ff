//! Polish public holidays (ustawa o dniach wolnych od pracy), computed for any year: the fixed
//! dates, and those that follow Easter (Gregorian computus). 24 December is a holiday from 2025 on.

use chrono::{Datelike, Days, NaiveDate};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Holiday {
    NewYear,
    Epiphany,
    EasterSunday,
    EasterMonday,
    LabourDay,
    ConstitutionDay,
    Pentecost,
    CorpusChristi,
    Assumption,
    AllSaints,
    IndependenceDay,
    ChristmasEve,
    Christmas,
    SecondDayOfChristmas,
}

impl Holiday {
    /// The key the locales use to name the holiday.
    pub fn key(self) -> &'static str {
        match self {
            Holiday::NewYear => "new-year",
            Holiday::Epiphany => "epiphany",
            Holiday::EasterSunday => "easter-sunday",
            Holiday::EasterMonday => "easter-monday",
            Holiday::LabourDay => "labour-day",
            Holiday::ConstitutionDay => "constitution-day",
            Holiday::Pentecost => "pentecost",
            Holiday::CorpusChristi => "corpus-christi",
            Holiday::Assumption => "assumption",
            Holiday::AllSaints => "all-saints",
            Holiday::IndependenceDay => "independence-day",
            Holiday::ChristmasEve => "christmas-eve",
            Holiday::Christmas => "christmas",
            Holiday::SecondDayOfChristmas => "second-day-of-christmas",
        }
    }
}

/// Easter Sunday in the Gregorian calendar.
pub fn easter(year: i32) -> Option<NaiveDate> {
    let date = computus::gregorian(year).ok()?;
    NaiveDate::from_ymd_opt(date.year, date.month, date.day)
}

/// The holidays of `year`, in date order.
pub fn holidays(year: i32) -> Vec<(NaiveDate, Holiday)> {
    let fixed = [
        (1, 1, Holiday::NewYear),
        (1, 6, Holiday::Epiphany),
        (5, 1, Holiday::LabourDay),
        (5, 3, Holiday::ConstitutionDay),
        (8, 15, Holiday::Assumption),
        (11, 1, Holiday::AllSaints),
        (11, 11, Holiday::IndependenceDay),
        (12, 24, Holiday::ChristmasEve),
        (12, 25, Holiday::Christmas),
        (12, 26, Holiday::SecondDayOfChristmas),
    ];
    let mut days: Vec<(NaiveDate, Holiday)> = fixed
        .into_iter()
        .filter(|(_, _, holiday)| *holiday != Holiday::ChristmasEve || year >= 2025)
        .filter_map(|(month, day, holiday)| {
            Some((NaiveDate::from_ymd_opt(year, month, day)?, holiday))
        })
        .collect();
    if let Some(easter) = easter(year) {
        let after = |days: u64, holiday| Some((easter.checked_add_days(Days::new(days))?, holiday));
        days.extend(
            [
                Some((easter, Holiday::EasterSunday)),
                after(1, Holiday::EasterMonday),
                after(49, Holiday::Pentecost),
                after(60, Holiday::CorpusChristi),
            ]
            .into_iter()
            .flatten(),
        );
    }
    days.sort_by_key(|(date, _)| *date);
    days
}

/// The holiday on `date`, if it is one.
pub fn holiday(date: NaiveDate) -> Option<Holiday> {
    holidays(date.year())
        .into_iter()
        .find(|(day, _)| *day == date)
        .map(|(_, h)| h)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("a date")
    }

    /// Easter Sundays 2025–2035, from the published tables.
    const EASTER: [&str; 11] = [
        "2025-04-20",
        "2026-04-05",
        "2027-03-28",
        "2028-04-16",
        "2029-04-01",
        "2030-04-21",
        "2031-04-13",
        "2032-03-28",
        "2033-04-17",
        "2034-04-09",
        "2035-03-25",
    ];

    #[test]
    fn easter_matches_the_tables_2025_to_2035() {
        for expected in EASTER {
            let expected = date(expected);
            assert_eq!(easter(expected.year()), Some(expected));
        }
    }

    #[test]
    fn every_year_2025_to_2035_has_the_fourteen_holidays_on_their_dates() {
        for easter_day in EASTER {
            let easter_day = date(easter_day);
            let year = easter_day.year();
            let list = holidays(year);
            assert_eq!(list.len(), 14, "{year}");
            let on = |d: NaiveDate| holiday(d);
            let ymd = |m, d| NaiveDate::from_ymd_opt(year, m, d).expect("date");
            assert_eq!(on(ymd(1, 1)), Some(Holiday::NewYear));
            assert_eq!(on(ymd(1, 6)), Some(Holiday::Epiphany));
            assert_eq!(on(easter_day), Some(Holiday::EasterSunday));
            assert_eq!(on(easter_day + Days::new(1)), Some(Holiday::EasterMonday));
            assert_eq!(on(easter_day + Days::new(49)), Some(Holiday::Pentecost));
            assert_eq!(on(easter_day + Days::new(60)), Some(Holiday::CorpusChristi));
            assert_eq!(on(ymd(5, 1)), Some(Holiday::LabourDay));
            assert_eq!(on(ymd(5, 3)), Some(Holiday::ConstitutionDay));
            assert_eq!(on(ymd(8, 15)), Some(Holiday::Assumption));
            assert_eq!(on(ymd(11, 1)), Some(Holiday::AllSaints));
            assert_eq!(on(ymd(11, 11)), Some(Holiday::IndependenceDay));
            assert_eq!(on(ymd(12, 24)), Some(Holiday::ChristmasEve));
            assert_eq!(on(ymd(12, 25)), Some(Holiday::Christmas));
            assert_eq!(on(ymd(12, 26)), Some(Holiday::SecondDayOfChristmas));
            assert_eq!(on(ymd(12, 27)), None);
            assert_eq!(on(ymd(11, 12)), None);
        }
    }

    #[test]
    fn the_facts_examples_hold() {
        assert_eq!(holiday(date("2026-11-11")), Some(Holiday::IndependenceDay));
        assert_eq!(date("2026-11-11").weekday(), chrono::Weekday::Wed);
        assert_eq!(holiday(date("2027-03-29")), Some(Holiday::EasterMonday));
        assert_eq!(holiday(date("2027-05-03")), Some(Holiday::ConstitutionDay));
        assert_eq!(holiday(date("2026-06-04")), Some(Holiday::CorpusChristi));
        assert_eq!(holiday(date("2026-05-24")), Some(Holiday::Pentecost));
    }

    #[test]
    fn christmas_eve_became_a_holiday_in_2025() {
        assert_eq!(holiday(date("2024-12-24")), None);
        assert_eq!(holidays(2024).len(), 13);
        assert_eq!(holiday(date("2025-12-24")), Some(Holiday::ChristmasEve));
    }
}
