//! Words for dates, times, visits and places in the person's language, as the booking flows,
//! the reminders and the staff notices write them.

use chrono::{DateTime, Datelike, NaiveDate};
use chrono_tz::Tz;

use super::{local, service};
use crate::{
    bot::answers::weekday_key, bot::Services, db::booking::Booking, directory::Centre, i18n::Lang,
};

/// Words for dates and times in the person's language.
pub struct Words<'a> {
    pub services: &'a Services,
    pub lang: Lang,
}

impl<'a> Words<'a> {
    pub fn new(services: &'a Services, lang: Lang) -> Self {
        Self { services, lang }
    }

    /// The short name of the bookable service `key` (empty if the directory no longer has it).
    pub fn service_name(&self, key: &str) -> String {
        service(self.services, key)
            .map(|s| s.place.short.get(self.lang).to_owned())
            .unwrap_or_default()
    }

    pub fn t(&self, id: &str, args: &crate::i18n::Args<'_>) -> String {
        self.services.locales.text(self.lang, id, args)
    }

    pub fn plain(&self, id: &str) -> String {
        self.services.locales.plain(self.lang, id)
    }

    fn date(&self, date: NaiveDate) -> String {
        self.t(
            "date-short",
            &[("day", date.day().into()), ("month", date.month().into())],
        )
    }

    /// "pon 23.11" / "Mon 23 Nov".
    pub fn day_button(&self, date: NaiveDate) -> String {
        let weekday = self.t(
            "weekday-short",
            &[("weekday", weekday_key(date.weekday()).into())],
        );
        self.t(
            "day-button",
            &[
                ("weekday", weekday.into()),
                ("date", self.date(date).into()),
            ],
        )
    }

    /// "poniedziałek 23.11, godz. 13:00–13:30".
    pub fn when(&self, start: DateTime<Tz>, end: DateTime<Tz>) -> String {
        let weekday = self.t(
            "weekday-name",
            &[("weekday", weekday_key(start.weekday()).into())],
        );
        let args = [
            ("weekday", weekday.into()),
            ("date", self.date(start.date_naive()).into()),
            ("start", start.format("%-H:%M").to_string().into()),
            ("end", end.format("%-H:%M").to_string().into()),
        ];
        self.t("visit-when", &args)
    }

    /// As [`Self::when`], with "dziś" or "jutro" in front when the visit is today or tomorrow
    /// (seen from `now`): the reminders.
    pub fn when_from(&self, start: DateTime<Tz>, end: DateTime<Tz>, now: DateTime<Tz>) -> String {
        let when = self.when(start, end);
        let today = now.date_naive();
        let id = if start.date_naive() == today {
            "visit-today"
        } else if today.succ_opt() == Some(start.date_naive()) {
            "visit-tomorrow"
        } else {
            return when;
        };
        self.t(id, &[("when", when.into())])
    }

    pub fn booking_when(&self, booking: &Booking) -> String {
        self.when(local(booking.slot_start), local(booking.slot_end))
    }

    pub(super) fn day_and_time(&self, start: DateTime<Tz>) -> String {
        format!(
            "{} {}",
            self.day_button(start.date_naive()),
            start.format("%-H:%M")
        )
    }

    pub fn place_line(&self, centre: &Centre) -> String {
        format!("{}, {}", centre.name.get(self.lang), centre.address)
    }
}
