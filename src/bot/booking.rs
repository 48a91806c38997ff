//! Booking a visit by buttons: service → day → time → name → phone → summary → confirm, with Back
//! and Cancel at every step; "my visits" with moving and cancelling; the waiting list's join, take
//! and decline. Every id and time in a button is checked again here: a forged, stale or foreign one
//! changes nothing and gets a clear message.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use teloxide::{
    prelude::*,
    types::{
        InlineKeyboardButton, InlineKeyboardMarkup, InputFile, KeyboardButton, KeyboardMarkup,
        KeyboardRemove, ReplyMarkup,
    },
};

use super::{
    answers::weekday_key,
    callback::{CallbackAction, MenuItem},
    context::Ctx,
    keyboards, send,
    state::{BotDialogue, State},
    HandlerResult, Services,
};
use crate::{
    booking::{ics, reminders, BookingRules, Name, Phone, Slot},
    clock::TIME_ZONE,
    db::booking::{self as store, Booking, BookingError, NewBooking, NewWaiting},
    db::outbox::NewJob,
    directory::{Centre, Place},
    i18n::Lang,
};

/// A bookable service: the place, its rules, its centre.
pub struct Service<'a> {
    pub place: &'a Place,
    pub rules: &'a BookingRules,
    pub centre: &'a Centre,
}

pub fn service<'a>(services: &'a Services, key: &str) -> Option<Service<'a>> {
    let place = services.directory.place(key)?;
    Some(Service {
        rules: place.booking.as_ref()?,
        centre: services.directory.centre_of(place)?,
        place,
    })
}

fn button(label: String, action: CallbackAction) -> InlineKeyboardButton {
    InlineKeyboardButton::callback(label, action.encode())
}

fn local(t: DateTime<Utc>) -> DateTime<Tz> {
    t.with_timezone(&TIME_ZONE)
}

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

    fn t(&self, id: &str, args: &crate::i18n::Args<'_>) -> String {
        self.services.locales.text(self.lang, id, args)
    }

    pub fn plain(&self, id: &str) -> String {
        self.services.locales.plain(self.lang, id)
    }

    fn date(&self, date: NaiveDate) -> String {
        use chrono::Datelike;
        self.t(
            "date-short",
            &[("day", date.day().into()), ("month", date.month().into())],
        )
    }

    /// "pon 23.11" / "Mon 23 Nov".
    pub fn day_button(&self, date: NaiveDate) -> String {
        use chrono::Datelike;
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
        use chrono::Datelike;
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

    pub fn booking_when(&self, booking: &Booking) -> String {
        self.when(local(booking.slot_start), local(booking.slot_end))
    }

    fn day_and_time(&self, start: DateTime<Tz>) -> String {
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

/// The service's slots that still have a free seat, from now on.
pub async fn free_slots(
    services: &Services,
    svc: &Service<'_>,
    now: DateTime<Utc>,
) -> anyhow::Result<Vec<Slot>> {
    let exceptions = services.exceptions.current(local(now).date_naive()).await;
    let table = services.directory.place_timetable(svc.place, &exceptions);
    let taken: HashMap<DateTime<Utc>, i64> = store::taken(&services.pool, &svc.place.key, now)
        .await?
        .into_iter()
        .collect();
    let capacity = i64::from(svc.rules.capacity);
    Ok(svc
        .rules
        .slots(&table, now)
        .into_iter()
        .filter(|slot| {
            taken
                .get(&slot.start.with_timezone(&Utc))
                .copied()
                .unwrap_or(0)
                < capacity
        })
        .collect())
}

/// The slot of the service that starts at `start`, if the service really has one then (free or not).
async fn real_slot(
    services: &Services,
    svc: &Service<'_>,
    start: i64,
    now: DateTime<Utc>,
) -> Option<Slot> {
    let exceptions = services.exceptions.current(local(now).date_naive()).await;
    let table = services.directory.place_timetable(svc.place, &exceptions);
    svc.rules
        .slots(&table, now)
        .into_iter()
        .find(|slot| slot.start.timestamp() == start)
}

fn abort_button(words: &Words<'_>) -> InlineKeyboardButton {
    button(words.plain("book-cancel"), CallbackAction::BookAbort)
}

async fn say(bot: &Bot, ctx: &Ctx, text: String, keyboard: InlineKeyboardMarkup) -> HandlerResult {
    send::text(bot, ctx.chat, text, Some(keyboard)).await?;
    Ok(())
}

/// A text with the main menu under it.
async fn say_with_menu(bot: &Bot, ctx: &Ctx, services: &Services, text: String) -> HandlerResult {
    say(
        bot,
        ctx,
        text,
        keyboards::main_menu(&services.locales, ctx.lang),
    )
    .await
}

/// Sends with any reply markup (a reply keyboard, or its removal).
async fn say_with(bot: &Bot, ctx: &Ctx, text: String, markup: ReplyMarkup) -> HandlerResult {
    send::retrying(|| {
        bot.send_message(ctx.chat, text.clone())
            .reply_markup(markup.clone())
            .send()
    })
    .await?;
    Ok(())
}

/// A staff notice about `booking` (moved from `from`, when given), in Polish.
fn staff_notice(
    services: &Services,
    id: &str,
    booking: &Booking,
    from: Option<&Booking>,
) -> String {
    let name = Words::new(services, Lang::Pl).service_name(&booking.service_key);
    let when = staff_when(services, booking);
    let from = from
        .map(|old| staff_when(services, old))
        .unwrap_or_default();
    let args = [
        ("service", name.into()),
        ("when", when.clone().into()),
        ("from", from.into()),
        ("to", when.into()),
        ("name", booking.name.as_str().into()),
        ("phone", display_phone(&booking.phone).into()),
    ];
    services.locales.text(Lang::Pl, id, &args)
}

/// The jobs a booking change causes, written with it: the booking's reminders (when `remind`) and
/// the notice to every staff chat.
fn followups(
    services: &Services,
    booking: &Booking,
    remind: bool,
    notice: String,
    now: DateTime<Utc>,
) -> Vec<NewJob> {
    let mut jobs = Vec::new();
    if remind {
        let hours = service(services, &booking.service_key)
            .map(|s| s.rules.reminder_hours.clone())
            .unwrap_or_default();
        jobs.extend(
            reminders::reminder_times(local(booking.slot_start), &hours, now)
                .into_iter()
                .map(|due_at| NewJob::Reminder {
                    booking_id: booking.id,
                    chat_id: booking.chat_id,
                    due_at,
                }),
        );
    }
    jobs.extend(services.staff_chats.iter().map(|chat| NewJob::Staff {
        chat_id: *chat,
        text: notice.clone(),
    }));
    jobs
}

/// The jobs of a new booking: its reminders, and the notice to the staff.
fn booked(services: &Services, booking: &Booking, now: DateTime<Utc>) -> Vec<NewJob> {
    let notice = staff_notice(services, "staff-booked", booking, None);
    followups(services, booking, true, notice, now)
}

fn staff_when(services: &Services, booking: &Booking) -> String {
    Words::new(services, Lang::Pl).booking_when(booking)
}

/// Step 1: which service.
pub async fn choose_service(bot: &Bot, ctx: &Ctx, services: &Services) -> HandlerResult {
    let words = Words::new(services, ctx.lang);
    let mut rows: Vec<Vec<InlineKeyboardButton>> = services
        .directory
        .bookable()
        .map(|(place, _)| {
            vec![button(
                place.short.get(ctx.lang).to_owned(),
                CallbackAction::Book(Some(place.key.clone())),
            )]
        })
        .collect();
    rows.push(vec![abort_button(&words)]);
    say(
        bot,
        ctx,
        words.plain("book-choose-service"),
        InlineKeyboardMarkup::new(rows),
    )
    .await
}

/// The person's existing visit, with what they can do about it.
async fn show_existing(
    bot: &Bot,
    ctx: &Ctx,
    services: &Services,
    booking: &Booking,
) -> HandlerResult {
    let words = Words::new(services, ctx.lang);
    let name = words.service_name(&booking.service_key);
    let visit = format!("{name}, {}", words.booking_when(booking));
    let day = words.day_and_time(local(booking.slot_start));
    let keyboard = InlineKeyboardMarkup::new([
        vec![button(
            words.t("visit-move", &[("day", day.clone().into())]),
            CallbackAction::VisitMove(booking.id),
        )],
        vec![button(
            words.t("visit-cancel", &[("day", day.into())]),
            CallbackAction::VisitCancel(booking.id),
        )],
        vec![button(words.plain("menu-back"), CallbackAction::Home)],
    ]);
    say(
        bot,
        ctx,
        words.t("book-already", &[("visit", visit.into())]),
        keyboard,
    )
    .await
}

/// Step 2: the days with a free slot (for a new booking, or for moving `moving`).
pub async fn choose_day(
    bot: &Bot,
    ctx: &Ctx,
    services: &Services,
    key: &str,
    moving: Option<&Booking>,
) -> HandlerResult {
    let words = Words::new(services, ctx.lang);
    let Some(svc) = service(services, key) else {
        return stale(bot, ctx, services).await;
    };
    let now = services.clock.now();
    if moving.is_none() {
        let mine = store::upcoming(&services.pool, ctx.user_id, now).await?;
        let mine: Vec<&Booking> = mine.iter().filter(|b| b.service_key == key).collect();
        if mine.len() >= svc.rules.per_person as usize {
            if let Some(first) = mine.first() {
                return show_existing(bot, ctx, services, first).await;
            }
        }
    }
    let slots = free_slots(services, &svc, now).await?;
    let name = svc.place.short.get(ctx.lang);
    if slots.is_empty() {
        if moving.is_some() {
            return say(
                bot,
                ctx,
                words.plain("book-slot-gone-none"),
                keyboards::back(&services.locales, ctx.lang),
            )
            .await;
        }
        let text = words.t(
            "book-none-free",
            &[
                ("service", name.into()),
                ("days", svc.rules.horizon_days.into()),
            ],
        );
        let keyboard = InlineKeyboardMarkup::new([
            vec![button(
                words.plain("wait-join"),
                CallbackAction::WaitJoin(key.to_owned()),
            )],
            vec![button(words.plain("menu-back"), CallbackAction::Home)],
        ]);
        return say(bot, ctx, text, keyboard).await;
    }
    let mut days: Vec<NaiveDate> = slots.iter().map(|s| s.start.date_naive()).collect();
    days.dedup();
    let buttons: Vec<InlineKeyboardButton> = days
        .iter()
        .map(|day| {
            let action = match moving {
                Some(b) => CallbackAction::MoveDay(b.id, *day),
                None => CallbackAction::BookDay(key.to_owned(), *day),
            };
            button(words.day_button(*day), action)
        })
        .collect();
    let mut rows: Vec<Vec<InlineKeyboardButton>> = buttons.chunks(3).map(<[_]>::to_vec).collect();
    let back = match moving {
        Some(_) => CallbackAction::Menu(MenuItem::Visits),
        None => CallbackAction::Book(None),
    };
    rows.push(vec![
        button(words.plain("book-back"), back),
        abort_button(&words),
    ]);
    let text = match moving {
        Some(b) => words.t(
            "move-choose-day",
            &[
                ("service", name.into()),
                ("when", words.booking_when(b).into()),
            ],
        ),
        None => words.t("book-choose-day", &[("service", name.into())]),
    };
    say(bot, ctx, text, InlineKeyboardMarkup::new(rows)).await
}

/// Step 3: the free times of a day.
pub async fn choose_time(
    bot: &Bot,
    ctx: &Ctx,
    services: &Services,
    key: &str,
    day: NaiveDate,
    moving: Option<&Booking>,
) -> HandlerResult {
    let words = Words::new(services, ctx.lang);
    let Some(svc) = service(services, key) else {
        return stale(bot, ctx, services).await;
    };
    let slots: Vec<Slot> = free_slots(services, &svc, services.clock.now())
        .await?
        .into_iter()
        .filter(|s| s.start.date_naive() == day)
        .collect();
    if slots.is_empty() {
        say(
            bot,
            ctx,
            words.plain("book-day-full"),
            InlineKeyboardMarkup::default(),
        )
        .await?;
        return choose_day(bot, ctx, services, key, moving).await;
    }
    let buttons: Vec<InlineKeyboardButton> = slots
        .iter()
        .map(|slot| {
            let start = slot.start.timestamp();
            let action = match moving {
                Some(b) => CallbackAction::MoveTime(b.id, start),
                None => CallbackAction::BookTime(key.to_owned(), start),
            };
            button(slot.start.format("%-H:%M").to_string(), action)
        })
        .collect();
    let mut rows: Vec<Vec<InlineKeyboardButton>> = buttons.chunks(4).map(<[_]>::to_vec).collect();
    let back = match moving {
        Some(b) => CallbackAction::VisitMove(b.id),
        None => CallbackAction::Book(Some(key.to_owned())),
    };
    rows.push(vec![
        button(words.plain("book-back"), back),
        abort_button(&words),
    ]);
    let text = words.t(
        "book-choose-time",
        &[
            ("service", svc.place.short.get(ctx.lang).into()),
            ("day", words.day_button(day).into()),
        ],
    );
    say(bot, ctx, text, InlineKeyboardMarkup::new(rows)).await
}

/// The slot is gone: say so kindly, and offer the nearest free ones.
async fn slot_gone(
    bot: &Bot,
    ctx: &Ctx,
    services: &Services,
    svc: &Service<'_>,
    moving: Option<&Booking>,
) -> HandlerResult {
    let words = Words::new(services, ctx.lang);
    let nearest: Vec<Slot> = free_slots(services, svc, services.clock.now())
        .await?
        .into_iter()
        .take(4)
        .collect();
    if nearest.is_empty() {
        return say(
            bot,
            ctx,
            words.plain("book-slot-gone-none"),
            keyboards::back(&services.locales, ctx.lang),
        )
        .await;
    }
    let mut rows: Vec<Vec<InlineKeyboardButton>> = nearest
        .iter()
        .map(|slot| {
            let action = match moving {
                Some(b) => CallbackAction::MoveTime(b.id, slot.start.timestamp()),
                None => CallbackAction::BookTime(svc.place.key.clone(), slot.start.timestamp()),
            };
            vec![button(words.day_and_time(slot.start), action)]
        })
        .collect();
    rows.push(vec![abort_button(&words)]);
    say(
        bot,
        ctx,
        words.plain("book-slot-gone"),
        InlineKeyboardMarkup::new(rows),
    )
    .await
}

/// Step 4: a time was picked. Ask for the name, or (when given already) show the summary again.
pub async fn pick_time(
    bot: &Bot,
    ctx: &Ctx,
    services: &Services,
    dialogue: &BotDialogue,
    state: &State,
    key: &str,
    start: i64,
) -> HandlerResult {
    let words = Words::new(services, ctx.lang);
    let Some(svc) = service(services, key) else {
        return stale(bot, ctx, services).await;
    };
    let now = services.clock.now();
    let free = free_slots(services, &svc, now).await?;
    let Some(slot) = free.iter().find(|s| s.start.timestamp() == start).copied() else {
        return slot_gone(bot, ctx, services, &svc, None).await;
    };
    if let State::BookingConfirm {
        service,
        name,
        phone,
        ..
    } = state
    {
        if service == key {
            let next = State::BookingConfirm {
                service: service.clone(),
                start,
                name: name.clone(),
                phone: phone.clone(),
            };
            dialogue.update(next).await?;
            return summary(bot, ctx, services, &svc, slot, name, phone).await;
        }
    }
    dialogue
        .update(State::BookingName {
            service: key.to_owned(),
            start,
        })
        .await?;
    let text = words.t(
        "book-ask-name",
        &[
            ("service", svc.place.name.get(ctx.lang).into()),
            ("when", words.when(slot.start, slot.end).into()),
        ],
    );
    let back = button(
        words.plain("book-back"),
        CallbackAction::BookDay(key.to_owned(), slot.start.date_naive()),
    );
    say(
        bot,
        ctx,
        text,
        InlineKeyboardMarkup::new([vec![back, abort_button(&words)]]),
    )
    .await
}

fn phone_keyboard(words: &Words<'_>) -> ReplyMarkup {
    let keyboard = KeyboardMarkup::new([
        vec![KeyboardButton::new(words.plain("book-share-phone"))
            .request(teloxide::types::ButtonRequest::Contact)],
        vec![
            KeyboardButton::new(words.plain("book-back")),
            KeyboardButton::new(words.plain("book-cancel")),
        ],
    ])
    .resize_keyboard()
    .one_time_keyboard();
    ReplyMarkup::Keyboard(keyboard)
}

async fn summary(
    bot: &Bot,
    ctx: &Ctx,
    services: &Services,
    svc: &Service<'_>,
    slot: Slot,
    name: &str,
    phone: &str,
) -> HandlerResult {
    let words = Words::new(services, ctx.lang);
    let shown_phone = Phone::parse(phone)
        .map(|p| p.to_string())
        .unwrap_or_else(|| phone.to_owned());
    let mut text = words.t(
        "book-summary",
        &[
            ("service", svc.place.name.get(ctx.lang).into()),
            ("when", words.when(slot.start, slot.end).into()),
            ("place", words.place_line(svc.centre).into()),
            ("name", name.into()),
            ("phone", shown_phone.into()),
        ],
    );
    if let Some(bring) = &svc.rules.bring {
        text = format!(
            "{text}\n{}",
            words.t("book-bring", &[("bring", bring.get(ctx.lang).into())])
        );
    }
    if let Some(expect) = &svc.rules.expect {
        text = format!("{text}\n{}", expect.get(ctx.lang));
    }
    let keyboard = InlineKeyboardMarkup::new([
        vec![button(
            words.plain("book-confirm"),
            CallbackAction::BookConfirm,
        )],
        vec![
            button(
                words.plain("book-back"),
                CallbackAction::BookDay(svc.place.key.clone(), slot.start.date_naive()),
            ),
            abort_button(&words),
        ],
    ]);
    say(bot, ctx, text, keyboard).await
}

/// Whether the typed text is the Cancel button of the reply keyboard.
fn is_cancel(words: &Words<'_>, text: &str) -> bool {
    text.trim() == words.plain("book-cancel")
}

/// Text (or a shared contact) while a booking or waiting-list step waits for it. Returns false
/// when the state is not one of those.
pub async fn on_input(
    bot: &Bot,
    ctx: &Ctx,
    services: &Services,
    dialogue: &BotDialogue,
    state: &State,
    text: Option<&str>,
    contact: Option<&str>,
) -> anyhow::Result<bool> {
    let words = Words::new(services, ctx.lang);
    if text.is_some_and(|t| is_cancel(&words, t))
        && !matches!(state, State::Idle | State::ChoosingLanguage)
    {
        abort(bot, ctx, services, dialogue).await?;
        return Ok(true);
    }
    // Back from the phone step: to the name again.
    if text.is_some_and(|t| t.trim() == words.plain("book-back")) {
        match state {
            State::BookingPhone {
                service: key,
                start,
                ..
            } => {
                pick_time(bot, ctx, services, dialogue, state, key, *start).await?;
                return Ok(true);
            }
            State::WaitingPhone { service: key, .. } => {
                wait_join(bot, ctx, services, dialogue, key).await?;
                return Ok(true);
            }
            _ => {}
        }
    }
    match state {
        // A shared contact (no text) while a name is asked for is a bad name too.
        State::BookingName { service: key, .. } | State::WaitingName { service: key } => {
            let Some(name) = text.and_then(Name::parse) else {
                say_with(
                    bot,
                    ctx,
                    words.plain("book-bad-name"),
                    ReplyMarkup::InlineKeyboard(InlineKeyboardMarkup::new([vec![abort_button(
                        &words,
                    )]])),
                )
                .await?;
                return Ok(true);
            };
            let next = match state {
                State::BookingName { start, .. } => State::BookingPhone {
                    service: key.clone(),
                    start: *start,
                    name: name.as_str().to_owned(),
                },
                _ => State::WaitingPhone {
                    service: key.clone(),
                    name: name.as_str().to_owned(),
                },
            };
            dialogue.update(next).await?;
            say_with(
                bot,
                ctx,
                words.plain("book-ask-phone"),
                phone_keyboard(&words),
            )
            .await?;
            Ok(true)
        }
        State::BookingPhone {
            service: key, name, ..
        }
        | State::WaitingPhone { service: key, name } => {
            let Some(phone) = contact.or(text).and_then(Phone::parse) else {
                say_with(
                    bot,
                    ctx,
                    words.plain("book-bad-phone"),
                    phone_keyboard(&words),
                )
                .await?;
                return Ok(true);
            };
            let Some(svc) = service(services, key) else {
                dialogue.update(State::Idle).await?;
                return stale(bot, ctx, services).await.map(|()| true);
            };
            say_with(
                bot,
                ctx,
                words.plain("book-thanks"),
                ReplyMarkup::KeyboardRemove(KeyboardRemove::new()),
            )
            .await?;
            if let State::BookingPhone { start, .. } = state {
                let next = State::BookingConfirm {
                    service: key.clone(),
                    start: *start,
                    name: name.clone(),
                    phone: phone.as_str().to_owned(),
                };
                dialogue.update(next).await?;
                let now = services.clock.now();
                match free_slots(services, &svc, now)
                    .await?
                    .into_iter()
                    .find(|s| s.start.timestamp() == *start)
                {
                    Some(slot) => {
                        summary(bot, ctx, services, &svc, slot, name, phone.as_str()).await?
                    }
                    None => slot_gone(bot, ctx, services, &svc, None).await?,
                }
            } else {
                dialogue.update(State::Idle).await?;
                let new = NewWaiting {
                    service_key: key,
                    telegram_id: ctx.user_id,
                    chat_id: ctx.chat.0,
                    name,
                    phone: phone.as_str(),
                    lang: ctx.lang,
                };
                let joined =
                    store::join_waiting(&services.pool, &new, services.clock.now()).await?;
                let id = if joined {
                    "wait-joined"
                } else {
                    "wait-already"
                };
                let text = words.t(
                    id,
                    &[
                        ("service", svc.place.short.get(ctx.lang).into()),
                        ("minutes", services.offer_minutes.into()),
                    ],
                );
                say(bot, ctx, text, keyboards::back(&services.locales, ctx.lang)).await?;
                services.waitlist.notify_one();
            }
            Ok(true)
        }
        _ => Ok(false),
    }
}

/// The person confirms the summary.
pub async fn confirm(
    bot: &Bot,
    ctx: &Ctx,
    services: &Services,
    dialogue: &BotDialogue,
    state: &State,
) -> HandlerResult {
    let State::BookingConfirm {
        service: key,
        start,
        name,
        phone,
    } = state
    else {
        return stale(bot, ctx, services).await;
    };
    let Some(svc) = service(services, key) else {
        return stale(bot, ctx, services).await;
    };
    let now = services.clock.now();
    let Some(slot) = real_slot(services, &svc, *start, now).await else {
        return slot_gone(bot, ctx, services, &svc, None).await;
    };
    let new = NewBooking {
        service_key: key,
        slot_start: slot.start.with_timezone(&Utc),
        slot_end: slot.end.with_timezone(&Utc),
        capacity: svc.rules.capacity,
        per_person: svc.rules.per_person,
        telegram_id: ctx.user_id,
        chat_id: ctx.chat.0,
        name,
        phone,
        lang: ctx.lang,
    };
    let jobs = |b: &Booking| booked(services, b, now);
    match store::book(&services.pool, &new, &jobs, now).await {
        Ok(booking) => {
            dialogue.update(State::Idle).await?;
            confirmed(bot, ctx, services, &svc, &booking, "book-confirmed").await?;
            Ok(())
        }
        Err(BookingError::SlotTaken) => slot_gone(bot, ctx, services, &svc, None).await,
        Err(BookingError::LimitReached(existing)) => {
            dialogue.update(State::Idle).await?;
            show_existing(bot, ctx, services, &existing).await
        }
        Err(BookingError::NotFound) => stale(bot, ctx, services).await,
        Err(BookingError::Database(error)) => Err(error.into()),
    }
}

fn display_phone(phone: &str) -> String {
    Phone::parse(phone)
        .map(|p| p.to_string())
        .unwrap_or_else(|| phone.to_owned())
}

/// The confirmation: service, place, day and time in words, what to bring, and the calendar file.
async fn confirmed(
    bot: &Bot,
    ctx: &Ctx,
    services: &Services,
    svc: &Service<'_>,
    booking: &Booking,
    id: &str,
) -> HandlerResult {
    let words = Words::new(services, ctx.lang);
    let mut text = words.t(
        id,
        &[
            ("service", svc.place.name.get(ctx.lang).into()),
            ("when", words.booking_when(booking).into()),
            ("place", words.place_line(svc.centre).into()),
        ],
    );
    let mut description = Vec::new();
    if let Some(bring) = &svc.rules.bring {
        let line = words.t("book-bring", &[("bring", bring.get(ctx.lang).into())]);
        text = format!("{text}\n{line}");
        description.push(line);
    }
    if let Some(expect) = &svc.rules.expect {
        text = format!("{text}\n{}", expect.get(ctx.lang));
        description.push(expect.get(ctx.lang).to_owned());
    }
    say_with_menu(bot, ctx, services, text).await?;
    let location = words.place_line(svc.centre);
    let summary = svc.place.name.get(ctx.lang);
    let description = description.join("\n");
    let visit = ics::Visit {
        uid: booking.calendar_uid(),
        start: local(booking.slot_start),
        end: local(booking.slot_end),
        summary,
        location: &location,
        description: &description,
        created: booking.created_at,
    };
    let file = InputFile::memory(ics::calendar(&visit).into_bytes())
        .file_name(words.plain("book-calendar-file"));
    let caption = words.plain("book-calendar");
    send::retrying(|| {
        bot.send_document(ctx.chat, file.clone())
            .caption(caption.clone())
            .send()
    })
    .await?;
    Ok(())
}

/// Leaves the booking flow; nothing is saved.
pub async fn abort(
    bot: &Bot,
    ctx: &Ctx,
    services: &Services,
    dialogue: &BotDialogue,
) -> HandlerResult {
    let words = Words::new(services, ctx.lang);
    dialogue.update(State::Idle).await?;
    say_with(
        bot,
        ctx,
        words.plain("book-aborted"),
        ReplyMarkup::KeyboardRemove(KeyboardRemove::new()),
    )
    .await?;
    say_with_menu(bot, ctx, services, words.plain("menu-prompt")).await
}

/// A button that names something not there (forged, stale, or from another chat).
async fn stale(bot: &Bot, ctx: &Ctx, services: &Services) -> HandlerResult {
    let words = Words::new(services, ctx.lang);
    say_with_menu(bot, ctx, services, words.plain("visit-gone")).await
}

/// "My visits": the upcoming ones, each with Move and Cancel.
pub async fn visits(bot: &Bot, ctx: &Ctx, services: &Services) -> HandlerResult {
    let words = Words::new(services, ctx.lang);
    let mine = store::upcoming(&services.pool, ctx.user_id, services.clock.now()).await?;
    let book = vec![button(
        words.plain("visit-book"),
        CallbackAction::Book(None),
    )];
    let back = vec![button(words.plain("menu-back"), CallbackAction::Home)];
    if mine.is_empty() {
        return say(
            bot,
            ctx,
            words.plain("visits-none"),
            InlineKeyboardMarkup::new([book, back]),
        )
        .await;
    }
    let mut lines = vec![words.t("visits-title", &[("count", mine.len().into())])];
    let mut rows = Vec::new();
    for booking in &mine {
        let name = words.service_name(&booking.service_key);
        lines.push(words.t(
            "visits-line",
            &[
                ("service", name.into()),
                ("when", words.booking_when(booking).into()),
            ],
        ));
        let day = words.day_and_time(local(booking.slot_start));
        rows.push(vec![
            button(
                words.t("visit-move", &[("day", day.clone().into())]),
                CallbackAction::VisitMove(booking.id),
            ),
            button(
                words.t("visit-cancel", &[("day", day.into())]),
                CallbackAction::VisitCancel(booking.id),
            ),
        ]);
    }
    rows.push(book);
    rows.push(back);
    say(bot, ctx, lines.join("\n"), InlineKeyboardMarkup::new(rows)).await
}

async fn own(services: &Services, ctx: &Ctx, id: i64) -> anyhow::Result<Option<Booking>> {
    Ok(store::own_upcoming(&services.pool, id, ctx.user_id, services.clock.now()).await?)
}

pub async fn move_start(bot: &Bot, ctx: &Ctx, services: &Services, id: i64) -> HandlerResult {
    match own(services, ctx, id).await? {
        Some(booking) => choose_day(bot, ctx, services, &booking.service_key, Some(&booking)).await,
        None => stale(bot, ctx, services).await,
    }
}

pub async fn move_day(
    bot: &Bot,
    ctx: &Ctx,
    services: &Services,
    id: i64,
    day: NaiveDate,
) -> HandlerResult {
    match own(services, ctx, id).await? {
        Some(booking) => {
            choose_time(
                bot,
                ctx,
                services,
                &booking.service_key,
                day,
                Some(&booking),
            )
            .await
        }
        None => stale(bot, ctx, services).await,
    }
}

pub async fn move_time(
    bot: &Bot,
    ctx: &Ctx,
    services: &Services,
    id: i64,
    start: i64,
) -> HandlerResult {
    let words = Words::new(services, ctx.lang);
    let Some(booking) = own(services, ctx, id).await? else {
        return stale(bot, ctx, services).await;
    };
    let Some(svc) = service(services, &booking.service_key) else {
        return stale(bot, ctx, services).await;
    };
    let free = free_slots(services, &svc, services.clock.now()).await?;
    let Some(slot) = free.into_iter().find(|s| s.start.timestamp() == start) else {
        return slot_gone(bot, ctx, services, &svc, Some(&booking)).await;
    };
    let text = words.t(
        "move-ask",
        &[
            ("service", svc.place.short.get(ctx.lang).into()),
            ("from", words.booking_when(&booking).into()),
            ("to", words.when(slot.start, slot.end).into()),
        ],
    );
    let keyboard = InlineKeyboardMarkup::new([
        vec![button(
            words.plain("book-confirm"),
            CallbackAction::MoveConfirm(id, start),
        )],
        vec![
            button(words.plain("book-back"), CallbackAction::VisitMove(id)),
            abort_button(&words),
        ],
    ]);
    say(bot, ctx, text, keyboard).await
}

pub async fn move_confirm(
    bot: &Bot,
    ctx: &Ctx,
    services: &Services,
    id: i64,
    start: i64,
) -> HandlerResult {
    let Some(booking) = own(services, ctx, id).await? else {
        return stale(bot, ctx, services).await;
    };
    let Some(svc) = service(services, &booking.service_key) else {
        return stale(bot, ctx, services).await;
    };
    let now = services.clock.now();
    let Some(slot) = real_slot(services, &svc, start, now).await else {
        return slot_gone(bot, ctx, services, &svc, Some(&booking)).await;
    };
    let span = (slot.start.with_timezone(&Utc), slot.end.with_timezone(&Utc));
    let jobs = |b: &Booking| {
        followups(
            services,
            b,
            true,
            staff_notice(services, "staff-moved", b, Some(&booking)),
            now,
        )
    };
    match store::move_to(
        &services.pool,
        id,
        ctx.user_id,
        span,
        svc.rules.capacity,
        &jobs,
        now,
    )
    .await
    {
        Ok((_, new)) => {
            confirmed(bot, ctx, services, &svc, &new, "move-done").await?;
            services.waitlist.notify_one();
            Ok(())
        }
        Err(BookingError::SlotTaken) => slot_gone(bot, ctx, services, &svc, Some(&booking)).await,
        Err(BookingError::NotFound | BookingError::LimitReached(_)) => {
            stale(bot, ctx, services).await
        }
        Err(BookingError::Database(error)) => Err(error.into()),
    }
}

pub async fn cancel_ask(bot: &Bot, ctx: &Ctx, services: &Services, id: i64) -> HandlerResult {
    let words = Words::new(services, ctx.lang);
    let Some(booking) = own(services, ctx, id).await? else {
        return stale(bot, ctx, services).await;
    };
    let name = words.service_name(&booking.service_key);
    let text = words.t(
        "cancel-ask",
        &[
            ("service", name.into()),
            ("when", words.booking_when(&booking).into()),
        ],
    );
    let keyboard = InlineKeyboardMarkup::new([vec![
        button(
            words.plain("cancel-yes"),
            CallbackAction::VisitCancelYes(id),
        ),
        button(
            words.plain("cancel-no"),
            CallbackAction::Menu(MenuItem::Visits),
        ),
    ]]);
    say(bot, ctx, text, keyboard).await
}

pub async fn cancel_yes(bot: &Bot, ctx: &Ctx, services: &Services, id: i64) -> HandlerResult {
    let words = Words::new(services, ctx.lang);
    let now = services.clock.now();
    let jobs = |b: &Booking| {
        followups(
            services,
            b,
            false,
            staff_notice(services, "staff-cancelled", b, None),
            now,
        )
    };
    match store::cancel(&services.pool, id, ctx.user_id, &jobs, now).await {
        Ok(booking) => {
            let name = words.service_name(&booking.service_key);
            let text = words.t(
                "cancel-done",
                &[
                    ("service", name.into()),
                    ("when", words.booking_when(&booking).into()),
                ],
            );
            say_with_menu(bot, ctx, services, text).await?;
            services.waitlist.notify_one();
            Ok(())
        }
        Err(BookingError::Database(error)) => Err(error.into()),
        Err(_) => stale(bot, ctx, services).await,
    }
}

pub async fn wait_join(
    bot: &Bot,
    ctx: &Ctx,
    services: &Services,
    dialogue: &BotDialogue,
    key: &str,
) -> HandlerResult {
    let words = Words::new(services, ctx.lang);
    let Some(svc) = service(services, key) else {
        return stale(bot, ctx, services).await;
    };
    dialogue
        .update(State::WaitingName {
            service: key.to_owned(),
        })
        .await?;
    let text = words.t(
        "wait-ask-name",
        &[("service", svc.place.short.get(ctx.lang).into())],
    );
    say(
        bot,
        ctx,
        text,
        InlineKeyboardMarkup::new([vec![abort_button(&words)]]),
    )
    .await
}

pub async fn offer_take(bot: &Bot, ctx: &Ctx, services: &Services, id: i64) -> HandlerResult {
    let words = Words::new(services, ctx.lang);
    let now = services.clock.now();
    let jobs = |b: &Booking| booked(services, b, now);
    match store::accept_offer(&services.pool, id, ctx.user_id, &jobs, now).await {
        Ok(booking) => {
            let Some(svc) = service(services, &booking.service_key) else {
                return stale(bot, ctx, services).await;
            };
            confirmed(bot, ctx, services, &svc, &booking, "book-confirmed").await?;
            Ok(())
        }
        Err(BookingError::Database(error)) => Err(error.into()),
        Err(_) => say_with_menu(bot, ctx, services, words.plain("offer-gone")).await,
    }
}

pub async fn offer_decline(bot: &Bot, ctx: &Ctx, services: &Services, id: i64) -> HandlerResult {
    let words = Words::new(services, ctx.lang);
    match store::decline_offer(&services.pool, id, ctx.user_id).await {
        Ok(_) => {
            services.waitlist.notify_one();
            say_with_menu(bot, ctx, services, words.plain("offer-declined")).await
        }
        Err(BookingError::Database(error)) => Err(error.into()),
        Err(_) => say_with_menu(bot, ctx, services, words.plain("offer-gone")).await,
    }
}

/// "I'll be there" under a reminder: recorded for the staff; a past or cancelled visit says so.
pub async fn attend(bot: &Bot, ctx: &Ctx, services: &Services, id: i64) -> HandlerResult {
    let words = Words::new(services, ctx.lang);
    match store::attend(&services.pool, id, ctx.user_id, services.clock.now()).await? {
        Some(booking) => {
            let text = words.t(
                "attend-thanks",
                &[("when", words.booking_when(&booking).into())],
            );
            say_with_menu(bot, ctx, services, text).await
        }
        None => stale(bot, ctx, services).await,
    }
}
