//! The answers about places, hours and services, composed from the directory, the exceptions known
//! and the instant asked about, in the user's language. Plain text, phone-sized.

use chrono::{DateTime, Datelike, Days, NaiveDate, NaiveTime, Utc, Weekday};
use chrono_tz::Tz;
use fluent_bundle::FluentValue;

use crate::{
    clock::TIME_ZONE,
    directory::{Centre, Crisis, Directory, Need, Place},
    hours::{instant, ClosedBecause, Day, Exception, Schedule, Status, TimeRange, Timetable},
    i18n::{Args, Lang, Locales},
    understanding::{Aspect, When},
};

pub struct Answers<'a> {
    pub locales: &'a Locales,
    pub lang: Lang,
    pub directory: &'a Directory,
    pub exceptions: &'a [Exception],
    pub now: DateTime<Utc>,
}

const WEEK: [Weekday; 7] = [
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
    Weekday::Sat,
    Weekday::Sun,
];
/// How many of a sparse place's next regular days are listed, and how far ahead they are looked
/// for (a monthly rule: about half a year).
const UPCOMING_DAYS: usize = 4;
const UPCOMING_WITHIN_DAYS: u64 = 190;

/// Open on most weekdays (a centre): its week is shown day by day; else its next dates.
fn is_most_days(schedule: &Schedule) -> bool {
    schedule.weekly.iter().filter(|day| !day.is_empty()).count() >= 3
}

pub(super) fn weekday_key(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "mon",
        Weekday::Tue => "tue",
        Weekday::Wed => "wed",
        Weekday::Thu => "thu",
        Weekday::Fri => "fri",
        Weekday::Sat => "sat",
        Weekday::Sun => "sun",
    }
}

fn clock_time(t: DateTime<Tz>) -> String {
    t.format("%-H:%M").to_string()
}

/// A phone number as Telegram apps make it tappable: a Polish number (nine digits) gets +48 in
/// front; anything else is shown as the directory gives it.
pub fn dialable(phone: &str) -> String {
    let phone = phone.trim();
    let digits = phone.chars().filter(char::is_ascii_digit).count();
    if phone.starts_with('+') || digits != 9 {
        phone.to_owned()
    } else {
        format!("+48 {phone}")
    }
}

/// A link that opens the address in the phone's map app.
pub fn map_url(address: &str, city: &str) -> String {
    let query = if address.contains(city) {
        address.to_owned()
    } else {
        format!("{address}, {city}")
    };
    let encoded: String = url::form_urlencoded::byte_serialize(query.as_bytes()).collect();
    format!("https://www.google.com/maps/search/?api=1&query={encoded}")
}

impl Answers<'_> {
    fn t(&self, id: &str, args: &Args<'_>) -> String {
        self.locales.text(self.lang, id, args)
    }

    fn plain(&self, id: &str) -> String {
        self.locales.plain(self.lang, id)
    }

    pub fn today(&self) -> NaiveDate {
        self.now.with_timezone(&TIME_ZONE).date_naive()
    }

    fn date(&self, date: NaiveDate) -> String {
        self.t(
            "date-short",
            &[("day", date.day().into()), ("month", date.month().into())],
        )
    }

    /// "dziś o 13:00", "jutro o 7:00", "w poniedziałek 30.11 o 7:00".
    fn when_phrase(&self, at: DateTime<Tz>) -> String {
        let date = at.date_naive();
        let time = clock_time(at);
        if date == self.today() {
            self.t("when-today", &[("time", time.into())])
        } else if Some(date) == self.today().checked_add_days(Days::new(1)) {
            self.t("when-tomorrow", &[("time", time.into())])
        } else {
            let args = [
                ("weekday", FluentValue::from(weekday_key(date.weekday()))),
                ("date", self.date(date).into()),
                ("time", time.into()),
            ];
            self.t("when-day", &args)
        }
    }

    fn holiday(&self, key: &str) -> String {
        self.t("holiday-name", &[("holiday", key.into())])
    }

    /// Whether it is open now, and if not, why and when it opens.
    fn status_lines(&self, table: &Timetable<'_>) -> Vec<String> {
        match table.status(self.now) {
            Status::Open { until } => {
                vec![self.t("status-open", &[("time", clock_time(until).into())])]
            }
            Status::Closed { opens, today } => {
                let mut lines = match today {
                    Day::Closed(ClosedBecause::Holiday(holiday)) => {
                        vec![self.t(
                            "status-closed-holiday",
                            &[("holiday", self.holiday(holiday.key()).into())],
                        )]
                    }
                    Day::Closed(ClosedBecause::Closure(note)) => {
                        let mut lines = vec![self.plain("status-closed-closure")];
                        if let Some(note) = note.filter(|n| !n.trim().is_empty()) {
                            lines.push(self.t("status-closure-note", &[("note", note.into())]));
                        }
                        lines
                    }
                    _ => vec![self.plain("status-closed")],
                };
                lines.push(match opens {
                    Some(opens) => {
                        self.t("status-opens", &[("when", self.when_phrase(opens).into())])
                    }
                    None => self.plain("status-opens-unknown"),
                });
                lines
            }
        }
    }

    fn day_hours(&self, day: &Day) -> String {
        match day {
            Day::Open(ranges) => ranges
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", "),
            Day::Closed(ClosedBecause::Regular) => self.plain("hours-closed"),
            Day::Closed(ClosedBecause::Holiday(holiday)) => self.t(
                "hours-holiday",
                &[("holiday", self.holiday(holiday.key()).into())],
            ),
            Day::Closed(ClosedBecause::Closure(Some(note))) if !note.trim().is_empty() => {
                self.t("hours-closure-note", &[("note", note.as_str().into())])
            }
            Day::Closed(ClosedBecause::Closure(_)) => self.plain("hours-closure"),
        }
    }

    /// Seven days from today, today marked.
    fn week_lines(&self, table: &Timetable<'_>) -> Vec<String> {
        let mut lines = vec![self.plain("week-title")];
        for (date, day) in table.week(self.today()) {
            lines.push(self.dated_line(date, &day));
        }
        lines
    }

    /// "pon 23.11: 13:00–17:00", today marked: a line of the week or of the next dates.
    fn dated_line(&self, date: NaiveDate, day: &Day) -> String {
        let args = [
            (
                "day",
                FluentValue::from(self.t(
                    "weekday-short",
                    &[("weekday", weekday_key(date.weekday()).into())],
                )),
            ),
            ("date", self.date(date).into()),
            ("hours", self.day_hours(day).into()),
        ];
        let line = self.t("week-line", &args);
        if date == self.today() {
            format!("{line} {}", self.plain("week-today"))
        } else {
            line
        }
    }

    /// The regular hours in words: "Od poniedziałku do piątku: 7:00–15:00", "W poniedziałki i w
    /// środy: 13:00–17:00", "W każdy trzeci poniedziałek miesiąca: 13:00–16:00".
    fn rule_lines(&self, schedule: &Schedule) -> Vec<String> {
        let mut groups: Vec<(&[TimeRange], Vec<Weekday>)> = Vec::new();
        for (day, ranges) in WEEK.iter().zip(&schedule.weekly) {
            if ranges.is_empty() {
                continue;
            }
            match groups
                .iter_mut()
                .find(|(hours, _)| *hours == ranges.as_slice())
            {
                Some((_, days)) => days.push(*day),
                None => groups.push((ranges, vec![*day])),
            }
        }
        let mut lines = vec![self.plain("rule-title")];
        for (hours, days) in groups {
            lines.push(self.rule_line(self.weekdays_phrase(&days), hours));
        }
        for rule in &schedule.monthly {
            let days = self.t(
                "rule-monthly",
                &[
                    ("nth", rule.nth.into()),
                    ("weekday", weekday_key(rule.weekday).into()),
                ],
            );
            lines.push(self.rule_line(days, &rule.hours));
        }
        lines
    }

    fn rule_line(&self, days: String, hours: &[TimeRange]) -> String {
        let hours: Vec<String> = hours.iter().map(ToString::to_string).collect();
        let line = self.t(
            "rule-line",
            &[("days", days.into()), ("hours", hours.join(", ").into())],
        );
        let mut chars = line.chars();
        match chars.next() {
            Some(first) => first.to_uppercase().chain(chars).collect(),
            None => line,
        }
    }

    /// "od poniedziałku do piątku" for three days or more in a row, else "w poniedziałki i w
    /// środy".
    fn weekdays_phrase(&self, days: &[Weekday]) -> String {
        let in_a_row = days
            .windows(2)
            .all(|pair| pair[0].succ() == pair[1] && pair[1] != Weekday::Mon);
        if let (true, [first, .., last]) = (in_a_row && days.len() >= 3, days) {
            return self.t(
                "rule-range",
                &[
                    ("from", weekday_key(*first).into()),
                    ("to", weekday_key(*last).into()),
                ],
            );
        }
        let mut names: Vec<String> = days
            .iter()
            .map(|day| self.t("rule-weekdays", &[("weekday", weekday_key(*day).into())]))
            .collect();
        match names.pop() {
            Some(last) if !names.is_empty() => self.t(
                "rule-and",
                &[("first", names.join(", ").into()), ("last", last.into())],
            ),
            Some(last) => last,
            None => String::new(),
        }
    }

    /// The next days of a place open on few days (legal aid, mediation): its next four regular
    /// days from today, each as it is (a holiday or a closure said so), instead of a week of
    /// "closed".
    fn upcoming_lines(&self, table: &Timetable<'_>) -> Vec<String> {
        let today = self.today();
        let mut lines = vec![self.plain("upcoming-title")];
        let days = (0..UPCOMING_WITHIN_DAYS)
            .filter_map(|n| today.checked_add_days(Days::new(n)))
            // Its regular days (a holiday or closure among them said so), and extra openings.
            .filter(|date| {
                !table.schedule.on(*date).is_empty() || matches!(table.day(*date), Day::Open(_))
            })
            .take(UPCOMING_DAYS);
        for date in days {
            lines.push(self.dated_line(date, &table.day(date)));
        }
        lines
    }

    /// The date a "when" names, seen from today.
    fn date_of(&self, when: When) -> Option<NaiveDate> {
        when.date(self.today())
    }

    fn day_line(&self, table: &Timetable<'_>, date: NaiveDate) -> String {
        let label = if date == self.today() {
            self.t("day-today", &[("date", self.date(date).into())])
        } else if Some(date) == self.today().checked_add_days(Days::new(1)) {
            self.t("day-tomorrow", &[("date", self.date(date).into())])
        } else {
            let args = [
                ("weekday", FluentValue::from(weekday_key(date.weekday()))),
                ("date", self.date(date).into()),
            ];
            self.t("day-on", &args)
        };
        self.t(
            "day-line",
            &[
                ("day", label.into()),
                ("hours", self.day_hours(&table.day(date)).into()),
            ],
        )
    }

    /// The hours part of an answer: a day's hours when one was named, else the status and week.
    fn hours_lines(
        &self,
        table: &Timetable<'_>,
        centre: &Centre,
        aspect: Aspect,
        when: Option<When>,
    ) -> Vec<String> {
        if table.schedule.is_unknown() {
            return vec![self.t(
                "hours-unknown",
                &[("centre", centre.short.get(self.lang).into())],
            )];
        }
        let mut lines = Vec::new();
        match when
            .filter(|w| *w != When::Now)
            .and_then(|w| self.date_of(w))
        {
            Some(date) if date == self.today() => {
                lines.push(self.day_line(table, date));
                lines.extend(self.status_lines(table));
            }
            Some(date) => {
                lines.push(self.day_line(table, date));
                if let Day::Closed(because) = table.day(date) {
                    if let ClosedBecause::Closure(Some(note)) = because {
                        if !note.trim().is_empty() {
                            lines.push(self.t("status-closure-note", &[("note", note.into())]));
                        }
                    }
                    let start = instant(date, NaiveTime::MIN, false);
                    lines.push(match table.next_opening(start.with_timezone(&Utc)) {
                        Some(opens) => {
                            self.t("status-opens", &[("when", self.when_phrase(opens).into())])
                        }
                        None => self.plain("status-opens-unknown"),
                    });
                }
            }
            None => {
                lines.extend(self.status_lines(table));
                if aspect != Aspect::OpenNow {
                    lines.push(String::new());
                    lines.extend(self.rule_lines(table.schedule));
                    lines.push(String::new());
                    if is_most_days(table.schedule) {
                        lines.extend(self.week_lines(table));
                    } else {
                        lines.extend(self.upcoming_lines(table));
                    }
                } else {
                    lines.push(self.day_line(table, self.today()));
                }
            }
        }
        lines
    }

    fn address_lines(&self, centre: &Centre) -> Vec<String> {
        vec![
            self.t(
                "answer-address",
                &[("address", centre.address.as_str().into())],
            ),
            self.t(
                "answer-map",
                &[(
                    "url",
                    map_url(&centre.address, self.directory.city.get(self.lang)).into(),
                )],
            ),
        ]
    }

    fn contact_lines(&self, centre: &Centre) -> Vec<String> {
        let mut lines = Vec::new();
        if let Some(phone) = &centre.phone {
            lines.push(self.t("answer-phone", &[("phone", dialable(phone).into())]));
        }
        if let Some(email) = &centre.email {
            lines.push(self.t("answer-email", &[("email", email.as_str().into())]));
        }
        if let Some(website) = &centre.website {
            lines.push(self.t("answer-website", &[("website", website.as_str().into())]));
        }
        lines
    }

    fn where_line(&self, centre: &Centre) -> String {
        let args = [
            ("centre", FluentValue::from(centre.name.get(self.lang))),
            ("address", centre.address.as_str().into()),
        ];
        self.t("answer-where", &args)
    }

    pub fn place(&self, place: &Place, aspect: Aspect, when: Option<When>) -> String {
        let Some(centre) = self.directory.centre_of(place) else {
            return place.name.get(self.lang).to_owned();
        };
        let table = self.directory.place_timetable(place, self.exceptions);
        let mut lines = vec![place.name.get(self.lang).to_owned()];
        match aspect {
            Aspect::Address => {
                lines.push(self.where_line(centre));
                lines.push(self.address_lines(centre)[1].clone());
                if !table.schedule.is_unknown() {
                    lines.extend(self.status_lines(&table));
                }
            }
            Aspect::Contact => {
                lines.push(self.where_line(centre));
                lines.extend(self.contact_lines(centre));
            }
            Aspect::Bring => {
                let rules = place.booking.as_ref();
                match rules.and_then(|r| r.bring.as_ref()) {
                    Some(bring) => {
                        lines.push(self.t("place-bring", &[("bring", bring.get(self.lang).into())]))
                    }
                    None => lines.push(self.plain("place-bring-unknown")),
                }
                if let Some(expect) = rules.and_then(|r| r.expect.as_ref()) {
                    lines.push(expect.get(self.lang).to_owned());
                }
                lines.push(self.where_line(centre));
                lines.extend(self.contact_lines(centre));
            }
            Aspect::Cost => lines.extend(self.cost_lines(place, centre)),
            Aspect::Hours | Aspect::OpenNow => {
                lines.extend(self.hours_lines(&table, centre, aspect, when))
            }
            Aspect::Overview => {
                lines.push(place.description.get(self.lang).to_owned());
                lines.push(String::new());
                lines.extend(self.hours_lines(&table, centre, aspect, when));
                lines.push(String::new());
                lines.push(self.where_line(centre));
                lines.extend(self.contact_lines(centre));
            }
        }
        lines.join("\n")
    }

    pub fn centre(&self, centre: &Centre, aspect: Aspect, when: Option<When>) -> String {
        let table = self.directory.centre_timetable(centre, self.exceptions);
        let mut lines = vec![centre.name.get(self.lang).to_owned()];
        match aspect {
            Aspect::Address => {
                lines.extend(self.address_lines(centre));
                lines.extend(self.status_lines(&table));
            }
            Aspect::Contact => {
                lines.push(self.t(
                    "answer-address",
                    &[("address", centre.address.as_str().into())],
                ));
                lines.extend(self.contact_lines(centre));
            }
            Aspect::Hours | Aspect::OpenNow => {
                lines.extend(self.hours_lines(&table, centre, aspect, when))
            }
            Aspect::Overview | Aspect::Bring | Aspect::Cost => {
                if let Some(description) = &centre.description {
                    lines.push(description.get(self.lang).to_owned());
                }
                lines.push(String::new());
                lines.extend(self.hours_lines(&table, centre, aspect, when));
                lines.push(String::new());
                lines.extend(self.address_lines(centre));
                lines.extend(self.contact_lines(centre));
                if let Some(who) = &centre.who {
                    lines.push(self.t("answer-who", &[("who", who.get(self.lang).into())]));
                }
                if let Some(how) = &centre.how {
                    lines.push(self.t("answer-how", &[("how", how.get(self.lang).into())]));
                }
            }
        }
        lines.join("\n")
    }

    /// Everything on offer, grouped by centre (or one centre's only).
    pub fn services(&self, only: Option<&Centre>) -> String {
        let mut lines = vec![self.t(
            "services-title",
            &[("city", self.directory.city.get(self.lang).into())],
        )];
        for centre in self
            .directory
            .centres
            .iter()
            .filter(|c| only.is_none_or(|o| o.key == c.key))
        {
            lines.push(String::new());
            lines.push(self.t(
                "services-centre",
                &[("name", centre.name.get(self.lang).into())],
            ));
            if !centre.offer_residents.is_empty() {
                let offer: Vec<&str> = centre
                    .offer_residents
                    .iter()
                    .map(|t| t.get(self.lang))
                    .collect();
                lines.push(format!(
                    "{} {}",
                    self.plain("services-residents"),
                    offer.join(", ")
                ));
            }
            for place in self.directory.places_of(&centre.key) {
                lines.push(format!("• {}", place.name.get(self.lang)));
            }
            if !centre.offer_ngo.is_empty() {
                lines.push(format!(
                    "• {}",
                    self.plain("nav-ngo")
                        .trim_start_matches(|c: char| !c.is_alphanumeric())
                ));
            }
        }
        lines.push(String::new());
        lines.push(self.plain("services-more"));
        lines.join("\n")
    }

    pub fn ngo_offer(&self) -> String {
        let mut lines = Vec::new();
        for centre in self
            .directory
            .centres
            .iter()
            .filter(|c| !c.offer_ngo.is_empty())
        {
            lines.push(self.t(
                "ngo-title",
                &[("centre", centre.short.get(self.lang).into())],
            ));
            lines.extend(
                centre
                    .offer_ngo
                    .iter()
                    .map(|item| format!("• {}", item.get(self.lang))),
            );
            if let Some(how) = &centre.ngo_how {
                lines.push(String::new());
                lines.push(how.get(self.lang).to_owned());
            }
            lines.push(String::new());
            lines.push(self.t(
                "answer-address",
                &[("address", centre.address.as_str().into())],
            ));
            lines.extend(self.contact_lines(centre));
        }
        if lines.is_empty() {
            return self.contacts();
        }
        lines.join("\n")
    }

    pub fn documents(&self) -> String {
        let mut lines = Vec::new();
        for centre in self
            .directory
            .centres
            .iter()
            .filter(|c| !c.documents.is_empty())
        {
            lines.push(self.t(
                "documents-title",
                &[("centre", centre.short.get(self.lang).into())],
            ));
            lines.extend(
                centre
                    .documents
                    .iter()
                    .map(|item| format!("• {}", item.get(self.lang))),
            );
            if let Some(how) = &centre.ngo_how {
                lines.push(String::new());
                lines.push(how.get(self.lang).to_owned());
            }
            lines.extend(self.contact_lines(centre));
        }
        if lines.is_empty() {
            return self.contacts();
        }
        lines.join("\n")
    }

    /// Every centre's address and contacts, with whether it is open now.
    pub fn contacts(&self) -> String {
        let mut lines = vec![self.plain("contacts-title")];
        for centre in &self.directory.centres {
            lines.push(String::new());
            lines.push(centre.name.get(self.lang).to_owned());
            lines.extend(self.address_lines(centre));
            lines.extend(self.contact_lines(centre));
        }
        lines.join("\n")
    }

    /// Every centre's status now, for the "opening hours" menu; or its hours on the day a question
    /// named ("czy w sobotę otwarte?").
    pub fn hours_overview(&self, when: Option<When>) -> String {
        let mut lines = vec![self.plain("hours-title")];
        for centre in &self.directory.centres {
            lines.push(String::new());
            lines.push(centre.name.get(self.lang).to_owned());
            let table = self.directory.centre_timetable(centre, self.exceptions);
            match when.filter(|w| *w != When::Now) {
                Some(when) => {
                    lines.extend(self.hours_lines(&table, centre, Aspect::Hours, Some(when)))
                }
                None => lines.extend(self.status_lines(&table)),
            }
        }
        lines.push(String::new());
        lines.push(self.plain("hours-choose"));
        lines.join("\n")
    }

    /// Words of danger or crisis: the numbers first, then the centre that helps in office hours.
    pub fn crisis(&self, crisis: &Crisis) -> Option<String> {
        let centre = self.directory.centre(&crisis.centre)?;
        let mut text = crisis.text.get(self.lang).to_owned();
        if let Some(phone) = &centre.phone {
            let line = self.t(
                "crisis-office-hours",
                &[
                    ("centre", centre.name.get(self.lang).into()),
                    ("address", centre.address.as_str().into()),
                    ("phone", dialable(phone).into()),
                ],
            );
            text = format!("{text}\n\n{line}");
        }
        Some(text)
    }

    /// An everyday need: the file's word on it, then the places and centres that meet it.
    pub fn need(&self, need: &Need) -> String {
        let mut lines = Vec::new();
        if let Some(text) = &need.text {
            lines.push(text.get(self.lang).to_owned());
            lines.push(String::new());
        }
        if !need.places.is_empty() || !need.centres.is_empty() {
            lines.push(self.plain("need-title"));
        }
        for place in need
            .places
            .iter()
            .filter_map(|key| self.directory.place(key))
        {
            let centre = self.directory.centre_of(place);
            lines.push(match centre {
                Some(centre) => format!(
                    "• {} ({})",
                    place.name.get(self.lang),
                    centre.short.get(self.lang)
                ),
                None => format!("• {}", place.name.get(self.lang)),
            });
        }
        for centre in need
            .centres
            .iter()
            .filter_map(|key| self.directory.centre(key))
        {
            lines.push(format!(
                "• {}, {}",
                centre.name.get(self.lang),
                centre.address
            ));
            if let Some(phone) = &centre.phone {
                lines.push(self.t("answer-phone", &[("phone", dialable(phone).into())]));
            }
        }
        lines.push(String::new());
        lines.push(self.plain("need-more"));
        lines.join("\n")
    }

    /// What to bring to each place whose page says, and what to expect there.
    pub fn bring(&self) -> String {
        let mut lines = vec![self.plain("bring-title")];
        for place in &self.directory.places {
            let Some(rules) = &place.booking else {
                continue;
            };
            let bring = rules
                .bring
                .as_ref()
                .map(|b| b.get(self.lang).to_owned())
                .unwrap_or_else(|| self.plain("bring-not-given"));
            lines.push(format!("• {}: {bring}", place.short.get(self.lang)));
            if let Some(expect) = &rules.expect {
                lines.push(format!("  {}", expect.get(self.lang)));
            }
        }
        lines.join("\n")
    }

    /// Whether a place costs anything, from the directory's own texts: its description, under
    /// "free" when its Polish name or description says so ("nieodpłatna", "bezpłatna"); else
    /// that the page does not say, and whom to ask. Nothing is made up.
    fn cost_lines(&self, place: &Place, centre: &Centre) -> Vec<String> {
        let description = place.description.get(self.lang).to_owned();
        let own_words = crate::fold::fold(&format!("{} {}", place.name.pl, place.description.pl));
        let free = ["nieodplatn", "bezplatn", "za darmo"]
            .iter()
            .any(|word| own_words.contains(word));
        if free {
            return vec![self.plain("cost-free"), description];
        }
        let mut lines = vec![description, self.plain("cost-not-given")];
        lines.push(self.where_line(centre));
        lines.extend(self.contact_lines(centre));
        lines
    }

    /// Whether it costs anything, for each place that takes bookings.
    pub fn cost(&self) -> String {
        self.directory
            .places
            .iter()
            .filter(|place| place.booking.is_some())
            .map(|place| self.place(place, Aspect::Cost, None))
            .collect::<Vec<_>>()
            .join("\n\n")
    }

    /// Which places take bookings, how to book, and whom to ask about the rest.
    pub fn appointments(&self) -> String {
        let mut lines = vec![self.plain("appointments-title")];
        for place in self.directory.places.iter().filter(|p| p.booking.is_some()) {
            lines.push(format!("• {}", place.name.get(self.lang)));
        }
        lines.push(String::new());
        lines.push(self.plain("appointments-how"));
        lines.extend(self.phone_lines());
        lines.join("\n")
    }

    /// Each centre's phone, a line each: whom to call.
    fn phone_lines(&self) -> Vec<String> {
        self.directory
            .centres
            .iter()
            .filter_map(|centre| {
                let phone = centre.phone.as_ref()?;
                let args = [
                    ("centre", FluentValue::from(centre.short.get(self.lang))),
                    ("phone", dialable(phone).into()),
                ];
                Some(self.t("unknown-phone", &args))
            })
            .collect()
    }

    /// A question it cannot place: a kind word and the centres' phones.
    pub fn unknown(&self) -> String {
        let mut lines = vec![self.plain("unknown-question")];
        lines.extend(self.phone_lines());
        lines.join("\n")
    }

    /// A centre's intro line for its list of places.
    pub fn centre_places(&self, centre: &Centre) -> String {
        self.t(
            "centre-places",
            &[("centre", centre.short.get(self.lang).into())],
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn polish_numbers_are_made_dialable() {
        assert_eq!(dialable("32 241 26 46"), "+48 32 241 26 46");
        assert_eq!(dialable("+48 32 307 53 29"), "+48 32 307 53 29");
        assert_eq!(dialable("112"), "112");
        assert_eq!(dialable("+49 30 1234567"), "+49 30 1234567");
    }
}
