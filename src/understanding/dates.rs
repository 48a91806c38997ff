//! Days named in a question: "dziś", "jutro", "pojutrze", a weekday in any case form, "w przyszły
//! wtorek", "next Monday", "24 grudnia", "December 24th", "24.12", "24/12/2026".
//!
//! A date is found only as a day number next to a month (a name, or a number after a dot or a
//! slash), so a time ("14:00"), a phone number or a count is never read as a day.

use chrono::{Datelike, Days, NaiveDate, Weekday};

use super::words::{Phrase, Vocabulary};

/// A time the question names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum When {
    Now,
    Today,
    Tomorrow,
    AfterTomorrow,
    /// The next such weekday, today included.
    On(Weekday),
    /// "w przyszły wtorek", "next Tuesday": that weekday in the next calendar week.
    Next(Weekday),
    /// A day of a month, in the year in which it comes next (today included).
    Date {
        day: u32,
        month: u32,
    },
}

impl When {
    /// The date it names, seen from `today`: today, tomorrow, the next such weekday (today
    /// included), the weekday of next week, or a day of the month in the year it comes next.
    pub fn date(self, today: NaiveDate) -> Option<NaiveDate> {
        let ahead = |days: u32| today.checked_add_days(Days::new(u64::from(days)));
        let this_week = |weekday: Weekday| {
            (7 + weekday.num_days_from_monday() - today.weekday().num_days_from_monday()) % 7
        };
        match self {
            When::Now | When::Today => Some(today),
            When::Tomorrow => ahead(1),
            When::AfterTomorrow => ahead(2),
            When::On(weekday) => ahead(this_week(weekday)),
            When::Next(weekday) => {
                ahead(7 - today.weekday().num_days_from_monday() + weekday.num_days_from_monday())
            }
            When::Date { day, month } => match NaiveDate::from_ymd_opt(today.year(), month, day) {
                Some(date) if date >= today => Some(date),
                _ => NaiveDate::from_ymd_opt(today.year() + 1, month, day),
            },
        }
    }
}

const NOW: &[&str] = &[
    "teraz",
    "obecnie",
    "w tej chwili",
    "aktualnie",
    "juz",
    "now",
    "currently",
    "right now",
    "at the moment",
    "zaraz",
    "seichas",
];
const TODAY: &[&str] = &[
    "dzis",
    "dzisiaj",
    "today",
    "tonight",
    "this evening",
    "sogodni",
    "segodnia",
];
const TOMORROW: &[&str] = &["jutro", "jutrze", "tomorrow", "zavtra"];
const AFTER_TOMORROW: &[&str] = &[
    "pojutrze",
    "day after tomorrow",
    "pisliazavtra",
    "poslezavtra",
];
/// Words that make the weekday after them the one of next week.
const NEXT: &[&str] = &["przyszl", "nastepn", "next", "nastupn", "sleduiushch"];
const WEEKDAYS: &[(&str, Weekday)] = &[
    ("poniedzial", Weekday::Mon),
    ("poniedz", Weekday::Mon),
    ("wtor", Weekday::Tue),
    ("sroda", Weekday::Wed),
    ("srode", Weekday::Wed),
    ("srody", Weekday::Wed),
    ("srod", Weekday::Wed),
    ("czwart", Weekday::Thu),
    ("piat", Weekday::Fri),
    ("sobot", Weekday::Sat),
    ("niedziel", Weekday::Sun),
    ("monday", Weekday::Mon),
    ("tuesday", Weekday::Tue),
    ("wednesday", Weekday::Wed),
    ("thursday", Weekday::Thu),
    ("friday", Weekday::Fri),
    ("saturday", Weekday::Sat),
    ("sunday", Weekday::Sun),
    // Short forms, as on the day buttons (whole words only: "pon", "śr", "Mon").
    ("pon", Weekday::Mon),
    ("pn", Weekday::Mon),
    ("wt", Weekday::Tue),
    ("sr", Weekday::Wed),
    ("czw", Weekday::Thu),
    ("pt", Weekday::Fri),
    ("sob", Weekday::Sat),
    ("nd", Weekday::Sun),
    ("ndz", Weekday::Sun),
    ("mon", Weekday::Mon),
    ("tue", Weekday::Tue),
    ("wed", Weekday::Wed),
    ("thu", Weekday::Thu),
    ("fri", Weekday::Fri),
    ("sat", Weekday::Sat),
    // Ukrainian and Russian, as folded.
    ("ponedil", Weekday::Mon),
    ("ponedel", Weekday::Mon),
    ("vivtor", Weekday::Tue),
    ("vtornik", Weekday::Tue),
    ("sered", Weekday::Wed),
    ("sreda", Weekday::Wed),
    ("sredu", Weekday::Wed),
    ("chetver", Weekday::Thu),
    ("piatnits", Weekday::Fri),
    ("subot", Weekday::Sat),
    ("subbot", Weekday::Sat),
    ("nedil", Weekday::Sun),
    ("voskresen", Weekday::Sun),
];
/// Polish month names (folded) by the beginnings of their forms ("grudnia", "grudzień").
const POLISH_MONTHS: &[(&str, u32)] = &[
    ("stycz", 1),
    ("luty", 2),
    ("lutego", 2),
    ("marzec", 3),
    ("marca", 3),
    ("kwiecien", 4),
    ("kwietni", 4),
    ("maj", 5),
    ("czerw", 6),
    ("lipiec", 7),
    ("lipca", 7),
    ("sierp", 8),
    ("wrzes", 9),
    ("pazdziernik", 10),
    ("listopad", 11),
    ("grudz", 12),
    ("grudni", 12),
    // Ukrainian and Russian (genitive), as folded.
    ("sichn", 1),
    ("liutog", 2),
    ("berezn", 3),
    ("kvitn", 4),
    ("travn", 5),
    ("chervn", 6),
    ("lipn", 7),
    ("serpn", 8),
    ("veresn", 9),
    ("zhovtn", 10),
    ("ianvar", 1),
    ("fevral", 2),
    ("marta", 3),
    ("aprel", 4),
    ("maia", 5),
    ("iiun", 6),
    ("iiul", 7),
    ("avgust", 8),
    ("sentiabr", 9),
    ("oktiabr", 10),
    ("noiabr", 11),
    ("dekabr", 12),
];
/// English month names: the name, or a beginning of it of three letters or more ("dec", "sept").
const ENGLISH_MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

pub struct Dates {
    weekdays: Vec<(Phrase, Weekday)>,
    now: Vocabulary,
    today: Vocabulary,
    tomorrow: Vocabulary,
    after_tomorrow: Vocabulary,
}

impl Dates {
    pub fn new() -> Self {
        Dates {
            weekdays: WEEKDAYS
                .iter()
                .map(|(w, d)| (Phrase::vocabulary(w), *d))
                .collect(),
            now: Vocabulary::new(NOW),
            today: Vocabulary::new(TODAY),
            tomorrow: Vocabulary::new(TOMORROW),
            after_tomorrow: Vocabulary::new(AFTER_TOMORROW),
        }
    }

    /// The day `text` names, if any; `words` are its folded words.
    pub fn when(&self, text: &str, words: &[String]) -> Option<When> {
        if let Some((day, month)) = numeric_date(text).or_else(|| named_date(words)) {
            return Some(When::Date { day, month });
        }
        if self.after_tomorrow.score(words) > 0 {
            return Some(When::AfterTomorrow);
        }
        if self.tomorrow.score(words) > 0 {
            return Some(When::Tomorrow);
        }
        if self.today.score(words) > 0 {
            return Some(When::Today);
        }
        if let Some(when) = self.weekday(words) {
            return Some(when);
        }
        if self.now.score(words) > 0 {
            return Some(When::Now);
        }
        None
    }

    /// A weekday (one typo forgiven in the long names), of next week after "przyszły"/"next".
    fn weekday(&self, words: &[String]) -> Option<When> {
        words.iter().enumerate().find_map(|(i, word)| {
            let word = std::slice::from_ref(word);
            let (_, day) = self
                .weekdays
                .iter()
                .find(|(phrase, _)| phrase.score(word) > 0)?;
            let next = i > 0 && NEXT.iter().any(|n| words[i - 1].starts_with(n));
            Some(if next {
                When::Next(*day)
            } else {
                When::On(*day)
            })
        })
    }
}

/// A day number: "24", "24th", "1st", "2nd", "3rd" (folded "24-go" is "24" "go").
fn day_number(word: &str) -> Option<u32> {
    let digits = word
        .strip_suffix("st")
        .or_else(|| word.strip_suffix("nd"))
        .or_else(|| word.strip_suffix("rd"))
        .or_else(|| word.strip_suffix("th"))
        .unwrap_or(word);
    let day: u32 = digits.parse().ok()?;
    (1..=31).contains(&day).then_some(day)
}

fn month_name(word: &str) -> Option<u32> {
    if let Some((_, month)) = POLISH_MONTHS
        .iter()
        .find(|(stem, _)| word.starts_with(stem))
    {
        return Some(*month);
    }
    (word.len() >= 3)
        .then(|| {
            ENGLISH_MONTHS
                .iter()
                .position(|name| name.starts_with(word))
        })
        .flatten()
        .and_then(|index| u32::try_from(index + 1).ok())
}

/// "24 grudnia", "grudnia 24", "December 24th", "24th of December".
fn named_date(words: &[String]) -> Option<(u32, u32)> {
    words.iter().enumerate().find_map(|(i, word)| {
        let month = month_name(word)?;
        let before = i
            .checked_sub(1)
            .and_then(|j| day_number(&words[j]))
            .or_else(|| {
                // "24th of December"
                (i >= 2 && words[i - 1] == "of")
                    .then(|| day_number(&words[i - 2]))
                    .flatten()
            });
        let after = words.get(i + 1).and_then(|w| day_number(w));
        let day = before.or(after)?;
        valid(day, month).then_some((day, month))
    })
}

/// "24.12", "24/12", "24.12.2026", "1-12": a day and a month joined by a dot, slash or dash.
fn numeric_date(text: &str) -> Option<(u32, u32)> {
    let chars: Vec<char> = text.chars().collect();
    let number_at = |start: usize| -> (Option<u32>, usize) {
        let end = (start..chars.len())
            .find(|&i| !chars[i].is_ascii_digit())
            .unwrap_or(chars.len());
        let digits: String = chars[start..end].iter().collect();
        let value = (1..=2)
            .contains(&digits.len())
            .then(|| digits.parse().ok())
            .flatten();
        (value, end)
    };
    let mut i = 0;
    while i < chars.len() {
        let starts_number =
            chars[i].is_ascii_digit() && (i == 0 || !chars[i - 1].is_ascii_alphanumeric());
        if !starts_number {
            i += 1;
            continue;
        }
        let (day, end) = number_at(i);
        let joined = chars.get(end).is_some_and(|c| matches!(c, '.' | '/' | '-'));
        if let (Some(day), true) = (day, joined) {
            if chars.get(end + 1).is_some_and(char::is_ascii_digit) {
                let (month, after) = number_at(end + 1);
                // "13.30" could be a time; a month is 1 to 12 and a valid day of it.
                let followed_by_digit_group = chars.get(after).is_some_and(|c| *c == ':');
                if let Some(month) = month {
                    if valid(day, month) && !followed_by_digit_group {
                        return Some((day, month));
                    }
                }
            }
        }
        i = end.max(i + 1);
    }
    None
}

/// A clock time typed where times are offered: "14:00", "o 14", "at 9", "jutro o 13", or the
/// whole message being a time ("14", "14.30"). A number inside a date ("16.11") is not a time.
pub fn clock_time(text: &str) -> Option<chrono::NaiveTime> {
    let at = |hour: &str, minute: Option<&str>| {
        let hour: u32 = hour.parse().ok().filter(|_| hour.len() <= 2)?;
        let minute: u32 = match minute {
            Some(m) if m.len() == 2 => m.parse().ok()?,
            Some(_) => return None,
            None => 0,
        };
        chrono::NaiveTime::from_hms_opt(hour, minute, 0)
    };
    // "13:00" anywhere.
    let chars: Vec<char> = text.chars().collect();
    for (i, c) in chars.iter().enumerate() {
        if *c != ':' || i == 0 {
            continue;
        }
        let start = (0..i)
            .rev()
            .take_while(|&k| chars[k].is_ascii_digit())
            .last()
            .unwrap_or(i);
        let hour: String = chars[start..i].iter().collect();
        let minute: String = chars[i + 1..].iter().take(2).collect();
        if let Some(time) = at(&hour, Some(&minute)) {
            return Some(time);
        }
    }
    let folded = crate::fold::fold(text);
    let words: Vec<&str> = folded.split_whitespace().collect();
    // "o 14", "at 9", "godz. 14", "na 13", "в 14".
    const BEFORE_HOUR: &[&str] = &["o", "at", "godz", "godzina", "godzine", "na", "v", "about"];
    let named = words.windows(2).find_map(|pair| {
        BEFORE_HOUR
            .contains(&pair[0])
            .then(|| at(pair[1], None))
            .flatten()
    });
    if named.is_some() {
        return named;
    }
    // The whole message: "14", "14.30", "14 30".
    match words.as_slice() {
        [hour] => at(hour, None),
        [hour, minute] => at(hour, Some(minute)),
        _ => None,
    }
}

fn valid(day: u32, month: u32) -> bool {
    // 2024 is a leap year: 29.02 is a day that exists.
    chrono::NaiveDate::from_ymd_opt(2024, month, day).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::understanding::words::split;

    fn when(text: &str) -> Option<When> {
        Dates::new().when(text, &split(text))
    }

    #[test]
    fn days_named_in_words() {
        assert_eq!(when("czy jutro otwarte"), Some(When::Tomorrow));
        assert_eq!(when("a pojutrze?"), Some(When::AfterTomorrow));
        assert_eq!(
            when("open the day after tomorrow?"),
            Some(When::AfterTomorrow)
        );
        assert_eq!(when("czy w sobote otwarte"), Some(When::On(Weekday::Sat)));
        assert_eq!(when("w środę"), Some(When::On(Weekday::Wed)));
        assert_eq!(when("we wtorki"), Some(When::On(Weekday::Tue)));
        assert_eq!(when("w przyszły wtorek"), Some(When::Next(Weekday::Tue)));
        assert_eq!(when("next Monday"), Some(When::Next(Weekday::Mon)));
        assert_eq!(when("is it open now"), Some(When::Now));
        assert_eq!(when("czy dziś jest prawnik"), Some(When::Today));
        assert_eq!(when("godziny otwarcia"), None);
        assert_eq!(when("pon"), Some(When::On(Weekday::Mon)));
        assert_eq!(when("śr"), Some(When::On(Weekday::Wed)));
        assert_eq!(when("ponton"), None);
    }

    #[test]
    fn clock_times_typed() {
        let at = |h, m| chrono::NaiveTime::from_hms_opt(h, m, 0);
        assert_eq!(clock_time("14:00"), at(14, 0));
        assert_eq!(clock_time("o 14"), at(14, 0));
        assert_eq!(clock_time("14.30"), at(14, 30));
        assert_eq!(clock_time("at 9"), at(9, 0));
        assert_eq!(clock_time("wieczorem"), None);
        assert_eq!(clock_time("30"), None);
        assert_eq!(clock_time("jutro o 13"), at(13, 0));
        assert_eq!(clock_time("pon 16.11 13:00"), at(13, 0));
        assert_eq!(clock_time("pon 16.11"), None);
    }

    #[test]
    fn dates_need_a_day_and_a_month() {
        let date = |day, month| Some(When::Date { day, month });
        assert_eq!(when("czy cps otwarte 24 grudnia"), date(24, 12));
        assert_eq!(when("24.12"), date(24, 12));
        assert_eq!(when("w dniu 1/12/2026?"), date(1, 12));
        assert_eq!(when("open on December 24th?"), date(24, 12));
        assert_eq!(when("24th of december"), date(24, 12));
        assert_eq!(when("11 listopada"), date(11, 11));
        assert_eq!(when("3 maja"), date(3, 5));
        assert_eq!(when("6 stycznia"), date(6, 1));
        assert_eq!(when("1 marca"), date(1, 3));
        // Not dates: a time, a phone number, a count, a modal "may", a month alone.
        assert_eq!(when("o 14:00"), None);
        assert_eq!(when("o 13.30:00"), None);
        assert_eq!(when("tel 32 241 26 46"), None);
        assert_eq!(when("may I come with 2 children"), None);
        assert_eq!(when("w grudniu"), None);
        assert_eq!(when("31.02"), None);
        assert_eq!(when("decide 5"), None);
    }
}
