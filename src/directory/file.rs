//! The directory file: its TOML shape, and the checks that refuse a bad file with the line and the
//! field at fault.

use std::{collections::HashSet, ops::Range};

use chrono::Weekday;
use serde::Deserialize;
use toml::Spanned;

use super::{Centre, Crisis, Directory, Need, Place, PlaceKind, Privacy, Text};
use crate::{
    booking::BookingRules,
    hours::{MonthlyRule, Schedule, TimeRange},
};

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("{origin}{}: {field}{}{problem}", line.map(|l| format!(", line {l}")).unwrap_or_default(), if field.is_empty() { "" } else { ": " })]
pub struct DirectoryError {
    pub origin: String,
    pub line: Option<usize>,
    /// The field at fault, as a path: `place[2].hours.mon`.
    pub field: String,
    pub problem: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DirectoryFile {
    city: Text,
    #[serde(rename = "centre")]
    centres: Vec<CentreFile>,
    #[serde(rename = "place", default)]
    places: Vec<PlaceFile>,
    #[serde(rename = "crisis", default)]
    crises: Vec<CrisisFile>,
    #[serde(rename = "need", default)]
    needs: Vec<NeedFile>,
    #[serde(default)]
    privacy: Option<PrivacyFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PrivacyFile {
    controller: Text,
    address: Option<String>,
    contact: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CrisisFile {
    key: Spanned<String>,
    centre: Spanned<String>,
    text: Text,
    keywords: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NeedFile {
    key: Spanned<String>,
    keywords: Vec<Spanned<String>>,
    #[serde(default)]
    text: Option<Text>,
    #[serde(default)]
    places: Vec<Spanned<String>>,
    #[serde(default)]
    centres: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CentreFile {
    key: Spanned<String>,
    short: Text,
    name: Text,
    description: Option<Text>,
    address: String,
    phone: Option<String>,
    email: Option<String>,
    website: Option<String>,
    coordinates: Option<[f64; 2]>,
    who: Option<Text>,
    how: Option<Text>,
    hours: Option<HoursFile>,
    keywords: Vec<Spanned<String>>,
    #[serde(default)]
    offer_residents: Vec<Text>,
    #[serde(default)]
    offer_ngo: Vec<Text>,
    ngo_how: Option<Text>,
    #[serde(default)]
    documents: Vec<Text>,
    /// Residents may subscribe to its announcements from its card.
    #[serde(default)]
    news: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PlaceFile {
    key: Spanned<String>,
    centre: Spanned<String>,
    kind: PlaceKind,
    name: Text,
    short: Option<Text>,
    description: Text,
    hours: Option<HoursFile>,
    keywords: Vec<Spanned<String>>,
    booking: Option<BookingFile>,
    #[serde(default)]
    news: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BookingFile {
    slot_minutes: u32,
    #[serde(default = "one")]
    capacity: u32,
    horizon_days: u32,
    #[serde(default)]
    min_notice_hours: u32,
    #[serde(default = "one")]
    per_person: u32,
    bring: Option<Text>,
    expect: Option<Text>,
    #[serde(default = "default_reminders")]
    reminder_hours: Vec<u32>,
}

fn default_reminders() -> Vec<u32> {
    vec![24, 2]
}

fn one() -> u32 {
    1
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct HoursFile {
    mon: Option<Ranges>,
    tue: Option<Ranges>,
    wed: Option<Ranges>,
    thu: Option<Ranges>,
    fri: Option<Ranges>,
    sat: Option<Ranges>,
    sun: Option<Ranges>,
    #[serde(default)]
    monthly: Vec<MonthlyFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MonthlyFile {
    nth: u8,
    weekday: WeekdayName,
    hours: Ranges,
}

/// Hours as written in the file, checked as they are read (so errors carry the line).
struct Ranges(Vec<TimeRange>);

impl<'de> Deserialize<'de> for Ranges {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        TimeRange::parse_list(&text)
            .map(Ranges)
            .map_err(serde::de::Error::custom)
    }
}

struct WeekdayName(Weekday);

impl<'de> Deserialize<'de> for WeekdayName {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        let day = match text.as_str() {
            "mon" => Weekday::Mon,
            "tue" => Weekday::Tue,
            "wed" => Weekday::Wed,
            "thu" => Weekday::Thu,
            "fri" => Weekday::Fri,
            "sat" => Weekday::Sat,
            "sun" => Weekday::Sun,
            _ => {
                return Err(serde::de::Error::custom(format!(
                    "{text:?} is not a weekday: use mon, tue, wed, thu, fri, sat or sun"
                )))
            }
        };
        Ok(WeekdayName(day))
    }
}

fn line_of(source: &str, span: Option<Range<usize>>) -> Option<usize> {
    let start = span?.start.min(source.len());
    Some(source[..start].matches('\n').count() + 1)
}

struct Checker<'a> {
    source: &'a str,
    origin: &'a str,
}

impl Checker<'_> {
    fn error(
        &self,
        span: Option<Range<usize>>,
        field: String,
        problem: impl Into<String>,
    ) -> DirectoryError {
        DirectoryError {
            origin: self.origin.to_owned(),
            line: line_of(self.source, span),
            field,
            problem: problem.into(),
        }
    }

    /// Keys go into button data and logs: short, lower case, digits and dashes.
    fn key(
        &self,
        key: &Spanned<String>,
        field: String,
        seen: &mut HashSet<String>,
    ) -> Result<String, DirectoryError> {
        let value = key.get_ref();
        let ok = !value.is_empty()
            && value.len() <= 24
            && value
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !ok {
            return Err(self.error(
                Some(key.span()),
                field,
                format!(
                    "{value:?} is not a key: use up to 24 lower-case letters, digits and dashes"
                ),
            ));
        }
        if !seen.insert(value.clone()) {
            return Err(self.error(
                Some(key.span()),
                field,
                format!("the key {value:?} is used twice"),
            ));
        }
        Ok(value.clone())
    }

    fn keywords(
        &self,
        keywords: &[Spanned<String>],
        field: String,
    ) -> Result<Vec<String>, DirectoryError> {
        if keywords.is_empty() {
            return Err(self.error(
                None,
                field,
                "give at least one keyword, so typed questions can find it",
            ));
        }
        keywords
            .iter()
            .enumerate()
            .map(|(i, keyword)| {
                let folded = crate::fold::fold(keyword.get_ref());
                if folded.trim().chars().count() < 2 {
                    return Err(self.error(
                        Some(keyword.span()),
                        format!("{field}[{i}]"),
                        "a keyword needs at least two letters",
                    ));
                }
                Ok(folded.trim().to_owned())
            })
            .collect()
    }
}

fn schedule(hours: Option<HoursFile>) -> Schedule {
    let hours = hours.unwrap_or_default();
    let week = [
        hours.mon, hours.tue, hours.wed, hours.thu, hours.fri, hours.sat, hours.sun,
    ];
    Schedule {
        weekly: week.map(|day| day.map(|r| r.0).unwrap_or_default()),
        monthly: hours
            .monthly
            .into_iter()
            .map(|rule| MonthlyRule {
                nth: rule.nth,
                weekday: rule.weekday.0,
                hours: rule.hours.0,
            })
            .collect(),
    }
}

fn check_monthly(
    checker: &Checker<'_>,
    hours: &Option<HoursFile>,
    field: &str,
) -> Result<(), DirectoryError> {
    for (i, rule) in hours.iter().flat_map(|h| h.monthly.iter()).enumerate() {
        if !(1..=5).contains(&rule.nth) {
            return Err(checker.error(
                None,
                format!("{field}.hours.monthly[{i}].nth"),
                "nth must be 1 to 5 (the first to the fifth weekday of the month)",
            ));
        }
    }
    Ok(())
}

pub fn parse(source: &str, origin: &str) -> Result<Directory, DirectoryError> {
    let checker = Checker { source, origin };
    let deserializer = toml::de::Deserializer::parse(source)
        .map_err(|error| checker.error(error.span(), String::new(), error.message().trim()))?;
    let file: DirectoryFile = serde_path_to_error::deserialize(deserializer).map_err(|error| {
        let field = error.path().to_string();
        let inner = error.into_inner();
        checker.error(
            inner.span(),
            if field == "." { String::new() } else { field },
            inner.message().trim(),
        )
    })?;

    let mut keys = HashSet::new();
    let mut centres = Vec::new();
    if file.centres.is_empty() {
        return Err(checker.error(
            None,
            "centre".into(),
            "the directory needs at least one [[centre]]",
        ));
    }
    for (i, centre) in file.centres.into_iter().enumerate() {
        let field = format!("centre[{i}]");
        let key = checker.key(&centre.key, format!("{field}.key"), &mut keys)?;
        check_monthly(&checker, &centre.hours, &field)?;
        if let Some([lat, lon]) = centre.coordinates {
            if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
                return Err(checker.error(
                    None,
                    format!("{field}.coordinates"),
                    "expected [latitude, longitude]",
                ));
            }
        }
        centres.push(Centre {
            keywords: checker.keywords(&centre.keywords, format!("{field}.keywords"))?,
            key,
            short: centre.short,
            name: centre.name,
            description: centre.description,
            address: centre.address,
            phone: centre.phone,
            email: centre.email,
            website: centre.website,
            coordinates: centre.coordinates.map(|[lat, lon]| (lat, lon)),
            who: centre.who,
            how: centre.how,
            hours: schedule(centre.hours),
            offer_residents: centre.offer_residents,
            offer_ngo: centre.offer_ngo,
            ngo_how: centre.ngo_how,
            documents: centre.documents,
            news: centre.news,
        });
    }
    let mut places = Vec::new();
    for (i, place) in file.places.into_iter().enumerate() {
        let field = format!("place[{i}]");
        let key = checker.key(&place.key, format!("{field}.key"), &mut keys)?;
        let centre = place.centre.get_ref();
        if !centres.iter().any(|c| &c.key == centre) {
            return Err(checker.error(
                Some(place.centre.span()),
                format!("{field}.centre"),
                format!("no centre has the key {centre:?}"),
            ));
        }
        check_monthly(&checker, &place.hours, &field)?;
        let booking = match place.booking {
            None => None,
            Some(b) => {
                let bad = |name: &str, why: &str| {
                    checker.error(
                        Some(place.key.span()),
                        format!("{field}.booking.{name}"),
                        why,
                    )
                };
                if !(5..=480).contains(&b.slot_minutes) {
                    return Err(bad("slot_minutes", "a slot lasts 5 to 480 minutes"));
                }
                if !(1..=50).contains(&b.capacity) {
                    return Err(bad("capacity", "1 to 50 people per slot"));
                }
                if !(1..=366).contains(&b.horizon_days) {
                    return Err(bad("horizon_days", "bookings open 1 to 366 days ahead"));
                }
                if b.min_notice_hours > 24 * 14 {
                    return Err(bad("min_notice_hours", "at most two weeks of notice"));
                }
                if !(1..=10).contains(&b.per_person) {
                    return Err(bad("per_person", "1 to 10 upcoming bookings per person"));
                }
                if b.reminder_hours.len() > 5
                    || b.reminder_hours.iter().any(|h| !(1..=24 * 14).contains(h))
                {
                    return Err(bad(
                        "reminder_hours",
                        "up to five reminders, each 1 to 336 hours before the visit",
                    ));
                }
                if place.hours.is_none() {
                    return Err(bad(
                        "slot_minutes",
                        "a bookable place needs hours to cut into slots",
                    ));
                }
                Some(BookingRules {
                    slot_minutes: b.slot_minutes,
                    capacity: b.capacity,
                    horizon_days: b.horizon_days,
                    min_notice_minutes: b.min_notice_hours * 60,
                    per_person: b.per_person,
                    bring: b.bring,
                    expect: b.expect,
                    reminder_hours: b.reminder_hours,
                })
            }
        };
        places.push(Place {
            booking,
            news: place.news,
            keywords: checker.keywords(&place.keywords, format!("{field}.keywords"))?,
            key,
            centre: centre.clone(),
            kind: place.kind,
            short: place.short.unwrap_or_else(|| place.name.clone()),
            name: place.name,
            description: place.description,
            hours: schedule(place.hours),
        });
    }
    let mut crises = Vec::new();
    for (i, crisis) in file.crises.into_iter().enumerate() {
        let field = format!("crisis[{i}]");
        let key = checker.key(&crisis.key, format!("{field}.key"), &mut keys)?;
        let centre = crisis.centre.get_ref();
        if !centres.iter().any(|c| &c.key == centre) {
            return Err(checker.error(
                Some(crisis.centre.span()),
                format!("{field}.centre"),
                format!("no centre has the key {centre:?}"),
            ));
        }
        crises.push(Crisis {
            keywords: checker.keywords(&crisis.keywords, format!("{field}.keywords"))?,
            key,
            centre: centre.clone(),
            text: crisis.text,
        });
    }
    let mut needs = Vec::new();
    for (i, need) in file.needs.into_iter().enumerate() {
        let field = format!("need[{i}]");
        let key = checker.key(&need.key, format!("{field}.key"), &mut keys)?;
        for (j, place) in need.places.iter().enumerate() {
            if !places.iter().any(|p| &p.key == place.get_ref()) {
                return Err(checker.error(
                    Some(place.span()),
                    format!("{field}.places[{j}]"),
                    format!("no place has the key {:?}", place.get_ref()),
                ));
            }
        }
        for (j, centre) in need.centres.iter().enumerate() {
            if !centres.iter().any(|c| &c.key == centre.get_ref()) {
                return Err(checker.error(
                    Some(centre.span()),
                    format!("{field}.centres[{j}]"),
                    format!("no centre has the key {:?}", centre.get_ref()),
                ));
            }
        }
        if need.places.is_empty() && need.centres.is_empty() && need.text.is_none() {
            return Err(checker.error(
                Some(need.key.span()),
                format!("{field}.places"),
                "a need names the places or centres that meet it, or a text".to_owned(),
            ));
        }
        needs.push(Need {
            keywords: checker.keywords(&need.keywords, format!("{field}.keywords"))?,
            key,
            text: need.text,
            places: need.places.into_iter().map(Spanned::into_inner).collect(),
            centres: need.centres.into_iter().map(Spanned::into_inner).collect(),
        });
    }
    let privacy = match file.privacy {
        None => None,
        Some(privacy) => {
            let contact = privacy.contact.get_ref();
            if !centres.iter().any(|c| &c.key == contact) {
                return Err(checker.error(
                    Some(privacy.contact.span()),
                    "privacy.contact".into(),
                    format!("no centre has the key {contact:?}"),
                ));
            }
            Some(Privacy {
                controller: privacy.controller,
                address: privacy.address,
                contact: contact.clone(),
            })
        }
    };
    Ok(Directory {
        city: file.city,
        centres,
        places,
        crises,
        needs,
        privacy,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMALL: &str = r#"
city = { pl = "Miasto", en = "Town" }

[[centre]]
key = "mops"
short = { pl = "MOPS", en = "MOPS" }
name = { pl = "Ośrodek", en = "Centre" }
address = "ul. Długa 1"
keywords = ["mops"]
[centre.hours]
mon = "08:00-16:00"

[[place]]
key = "lawyer"
centre = "mops"
kind = "point"
name = { pl = "Prawnik", en = "Lawyer" }
description = { pl = "Porady", en = "Advice" }
keywords = ["prawn"]
[place.hours]
monthly = [{ nth = 1, weekday = "fri", hours = "10:00-12:00" }]
"#;

    fn error(source: &str) -> DirectoryError {
        match parse(source, "test.toml") {
            Ok(_) => panic!("expected the file to be refused"),
            Err(error) => error,
        }
    }

    #[test]
    fn the_shipped_directory_reads() {
        let directory = Directory::chorzow().expect("the shipped file is valid");
        assert_eq!(directory.centres.len(), 2);
        assert!(directory.places.len() >= 18, "{}", directory.places.len());
        let mediation = directory.place("mediation").expect("mediation");
        assert_eq!(mediation.hours.monthly.len(), 1);
        assert!(directory
            .place("library")
            .expect("library")
            .hours
            .is_unknown());
        let cas = directory.centre("cas").expect("cas");
        assert_eq!(cas.offer_ngo.len(), 12);
        assert_eq!(cas.documents.len(), 4);
    }

    /// Every text of the shipped file speaks every language the bot speaks (Ukrainian is optional
    /// for another city's file, and falls back to English there).
    #[test]
    fn every_text_of_the_shipped_directory_is_in_every_language() {
        fn walk(value: &toml::Value, path: &str, missing: &mut Vec<String>) {
            match value {
                toml::Value::Table(table) => {
                    if table.contains_key("pl") && table.contains_key("en") {
                        for lang in crate::i18n::Lang::ALL {
                            let text = table.get(lang.code()).and_then(toml::Value::as_str);
                            if text.is_none_or(|t| t.trim().is_empty()) {
                                missing.push(format!("{path}.{}", lang.code()));
                            }
                        }
                    }
                    for (key, inner) in table {
                        walk(inner, &format!("{path}.{key}"), missing);
                    }
                }
                toml::Value::Array(items) => {
                    for (i, inner) in items.iter().enumerate() {
                        walk(inner, &format!("{path}[{i}]"), missing);
                    }
                }
                _ => {}
            }
        }
        let value: toml::Value = toml::from_str(super::super::CHORZOW).expect("toml");
        let mut missing = Vec::new();
        walk(&value, "", &mut missing);
        assert!(missing.is_empty(), "texts missing: {missing:?}");
    }

    #[test]
    fn a_small_file_reads() {
        let directory = parse(SMALL, "test.toml").expect("valid");
        assert_eq!(directory.places[0].hours.monthly[0].weekday, Weekday::Fri);
        assert!(
            directory.privacy.is_none(),
            "the privacy section is optional"
        );
    }

    #[test]
    fn the_privacy_section_names_a_known_centre() {
        let with = |contact: &str| {
            SMALL.replacen(
                "\n[[centre]]",
                &format!(
                    "\n[privacy]\ncontroller = {{ pl = \"Ośrodek\", en = \"Office\" }}\ncontact = \"{contact}\"\n\n[[centre]]"
                ),
                1,
            )
        };
        let directory = parse(&with("mops"), "test.toml").expect("valid");
        assert_eq!(
            directory.privacy.map(|p| p.contact).as_deref(),
            Some("mops")
        );
        let error = error(&with("mopr"));
        assert_eq!(error.field, "privacy.contact", "{error}");
        let shipped = Directory::parse(super::super::CHORZOW, "chorzow.toml").expect("valid");
        let privacy = shipped
            .privacy
            .expect("the shipped file names who holds the data");
        assert_eq!(privacy.contact, "cps");
    }

    #[test]
    fn bad_hours_are_refused_with_line_and_field() {
        let bad = SMALL.replace("mon = \"08:00-16:00\"", "mon = \"16:00-08:00\"");
        let error = error(&bad);
        assert_eq!(error.line, Some(11), "{error}");
        assert_eq!(error.field, "centre[0].hours.mon", "{error}");
        assert!(
            error.to_string().starts_with(
                "test.toml, line 11: centre[0].hours.mon: \"16:00-08:00\" is not opening hours"
            ),
            "{error}"
        );
    }

    #[test]
    fn a_place_of_an_unknown_centre_is_refused() {
        let error = error(&SMALL.replace("centre = \"mops\"", "centre = \"mopr\""));
        assert_eq!(
            (error.line, error.field.as_str()),
            (Some(15), "place[0].centre"),
            "{error}"
        );
        assert!(error.problem.contains("\"mopr\""), "{error}");
    }

    #[test]
    fn other_mistakes_are_named() {
        let cases = [
            (
                SMALL.replace("key = \"lawyer\"", "key = \"mops\""),
                "place[0].key",
                "used twice",
            ),
            (
                SMALL.replace("key = \"lawyer\"", "key = \"Lawyer!\""),
                "place[0].key",
                "is not a key",
            ),
            (
                SMALL.replace("weekday = \"fri\"", "weekday = \"friday\""),
                "place[0].hours.monthly[0].weekday",
                "is not a weekday",
            ),
            (
                SMALL.replace("nth = 1", "nth = 7"),
                "place[0].hours.monthly[0].nth",
                "1 to 5",
            ),
            (
                SMALL.replace("address = \"ul. Długa 1\"", "adres = \"ul. Długa 1\""),
                "centre[0]",
                "unknown field",
            ),
            (
                SMALL.replace("en = \"Lawyer\"", "de = \"Anwalt\""),
                "place[0].name",
                "unknown field",
            ),
            (
                SMALL.replace("keywords = [\"prawn\"]", "keywords = []"),
                "place[0].keywords",
                "at least one keyword",
            ),
        ];
        for (source, field, problem) in cases {
            let error = error(&source);
            assert!(error.field.starts_with(field), "{field}: {error}");
            assert!(error.problem.contains(problem), "{problem}: {error}");
            assert!(
                error.line.is_some() || field.ends_with("keywords") || field.ends_with("nth"),
                "{error}"
            );
        }
        let broken = error("city = { pl = \"A\", en = \"B\"\n[[centre]");
        assert!(broken.line.is_some(), "{broken}");
    }
}
