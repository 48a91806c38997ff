//! Booking by buttons, one module per flow: [`book`] (service → day → time → name → phone →
//! summary → confirm, with Back and Cancel at every step), [`visits`] ("my visits": move, cancel,
//! "I'll be there") and [`waitlist`] (join, take or decline an offer). Free slots come from
//! [`availability`], the reminders and staff notices a change causes from [`jobs`], and every
//! date and time a person reads from [`words`]. Every id and time in a button is checked again:
//! a forged, stale or foreign one changes nothing and gets a clear message.

pub mod availability;
pub mod book;
mod jobs;
pub mod visits;
pub mod waitlist;
mod words;

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use teloxide::{
    prelude::*,
    types::{
        InlineKeyboardButton, InlineKeyboardMarkup, KeyboardButton, KeyboardMarkup, KeyboardRemove,
        ReplyMarkup,
    },
};

pub use availability::{free_slot, free_slots, free_slots_on, SlotCache};
pub use jobs::{moved_by_staff, phone_booked};
pub use words::Words;

use super::{
    callback::{CallbackAction, MenuItem},
    context::Ctx,
    keyboards, send,
    state::{BotDialogue, State},
    HandlerResult, Services,
};
use crate::{
    booking::{BookingRules, Name, NotAName, Phone},
    clock::TIME_ZONE,
    db::booking::Booking,
    directory::{Centre, Place},
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

/// What the day and time choices are for: a new booking of a service, or moving a visit. The
/// buttons, the way back and the wording follow from it.
#[derive(Clone, Copy)]
pub enum Intent<'a> {
    New,
    Move(&'a Booking),
}

impl Intent<'_> {
    /// The button of a day with a free slot.
    fn day(self, key: &str, day: NaiveDate) -> CallbackAction {
        match self {
            Intent::New => CallbackAction::BookDay(key.to_owned(), day),
            Intent::Move(booking) => CallbackAction::MoveDay(booking.id, day),
        }
    }

    /// The button of a free time.
    fn time(self, key: &str, start: i64) -> CallbackAction {
        match self {
            Intent::New => CallbackAction::BookTime(key.to_owned(), start),
            Intent::Move(booking) => CallbackAction::MoveTime(booking.id, start),
        }
    }

    /// Back from the days: to the services, or to my visits.
    fn back_from_days(self) -> CallbackAction {
        match self {
            Intent::New => CallbackAction::Book(None),
            Intent::Move(_) => CallbackAction::Menu(MenuItem::Visits),
        }
    }

    /// Back from the times: to the days.
    fn back_from_times(self, key: &str) -> CallbackAction {
        match self {
            Intent::New => CallbackAction::Book(Some(key.to_owned())),
            Intent::Move(booking) => CallbackAction::VisitMove(booking.id),
        }
    }
}

pub(super) fn button(label: String, action: CallbackAction) -> InlineKeyboardButton {
    InlineKeyboardButton::callback(label, action.encode())
}

pub(super) fn local(t: DateTime<Utc>) -> DateTime<Tz> {
    t.with_timezone(&TIME_ZONE)
}

pub(super) fn abort_button(words: &Words<'_>) -> InlineKeyboardButton {
    button(words.plain("book-cancel"), CallbackAction::BookAbort)
}

pub(super) async fn say(
    bot: &Bot,
    ctx: &Ctx,
    text: String,
    keyboard: InlineKeyboardMarkup,
) -> HandlerResult {
    send::text(bot, ctx.chat, text, Some(keyboard)).await?;
    Ok(())
}

/// A text with the main menu under it.
pub(super) async fn say_with_menu(
    bot: &Bot,
    ctx: &Ctx,
    services: &Services,
    text: String,
) -> HandlerResult {
    say(
        bot,
        ctx,
        text,
        keyboards::main_menu(&services.locales, ctx.lang),
    )
    .await
}

/// Sends with any reply markup (a reply keyboard, or its removal).
pub(super) async fn say_with(
    bot: &Bot,
    ctx: &Ctx,
    text: String,
    markup: ReplyMarkup,
) -> HandlerResult {
    send::retrying(|| {
        bot.send_message(ctx.chat, text.clone())
            .reply_markup(markup.clone())
            .send()
    })
    .await?;
    Ok(())
}

/// A button that names something not there (forged, stale, or from another chat).
pub(super) async fn stale(bot: &Bot, ctx: &Ctx, services: &Services) -> HandlerResult {
    let words = Words::new(services, ctx.lang);
    say_with_menu(bot, ctx, services, words.plain("visit-gone")).await
}

/// The name typed at a name step (booking or waiting list), or None when the message was handled
/// otherwise: a question (answered, and the step keeps waiting) or something that is not a name
/// (asked for again).
pub(super) async fn take_name(
    bot: &Bot,
    ctx: &Ctx,
    services: &Services,
    message: &Message,
    key: &str,
    back: Option<CallbackAction>,
) -> anyhow::Result<Option<Name>> {
    if let Some(text) = message.text() {
        if answered_at_step(bot, ctx, services, key, text).await? {
            still_waiting_for_name(bot, ctx, services, key).await?;
            return Ok(None);
        }
    }
    let why = match message.text().map(Name::check) {
        Some(Ok(name)) => return Ok(Some(name)),
        Some(Err(why)) => why,
        None => NotAName::Other,
    };
    ask_name_again(bot, ctx, services, why, back).await?;
    Ok(None)
}

/// The name again, saying why what was typed (or shared) is not taken as one; Back (to the step
/// before, where there is one) and Cancel.
async fn ask_name_again(
    bot: &Bot,
    ctx: &Ctx,
    services: &Services,
    why: NotAName,
    back: Option<CallbackAction>,
) -> HandlerResult {
    let words = Words::new(services, ctx.lang);
    let text = match why {
        NotAName::TooLong => words.t(
            "book-bad-name-long",
            &[("max", (Name::MAX_CHARS as u64).into())],
        ),
        NotAName::Digits => words.plain("book-bad-name-digits"),
        NotAName::Other => words.plain("book-bad-name"),
    };
    let mut row = Vec::new();
    if let Some(back) = back {
        row.push(button(words.plain("book-back"), back));
    }
    row.push(abort_button(&words));
    say(bot, ctx, text, InlineKeyboardMarkup::new([row])).await
}

/// The keyboard of the phone step: share the contact, Back, Cancel.
/// The number given before, when coming back from the summary, is a button of its own: pressing
/// it sends the number as text, which reads as a phone number again.
fn phone_keyboard(words: &Words<'_>, given: Option<&Phone>) -> ReplyMarkup {
    let mut rows = vec![vec![KeyboardButton::new(words.plain("book-share-phone"))
        .request(teloxide::types::ButtonRequest::Contact)]];
    if let Some(phone) = given {
        rows.push(vec![KeyboardButton::new(phone.to_string())]);
    }
    rows.push(vec![
        KeyboardButton::new(words.plain("book-back")),
        KeyboardButton::new(words.plain("book-cancel")),
    ]);
    let keyboard = KeyboardMarkup::new(rows)
        .resize_keyboard()
        .one_time_keyboard();
    ReplyMarkup::Keyboard(keyboard)
}

/// Asks for the phone number (`id`: the first asking, or again after one that did not read).
pub(super) async fn ask_phone(
    bot: &Bot,
    ctx: &Ctx,
    services: &Services,
    id: &str,
) -> HandlerResult {
    let words = Words::new(services, ctx.lang);
    say_with(bot, ctx, words.plain(id), phone_keyboard(&words, None)).await
}

/// The phone step again, from the summary: the number given is offered as a button.
pub(super) async fn ask_phone_again(
    bot: &Bot,
    ctx: &Ctx,
    services: &Services,
    phone: &Phone,
) -> HandlerResult {
    let words = Words::new(services, ctx.lang);
    let text = words.t(
        "book-ask-phone-again",
        &[("phone", phone.to_string().into())],
    );
    say_with(bot, ctx, text, phone_keyboard(&words, Some(phone))).await
}

/// Why a number given at the phone step is not taken.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum NotAPhone {
    /// Neither a shared contact nor a number typed that reads as one.
    Unreadable,
    /// A contact card shared that is not the sender's own (someone else's, or no Telegram user's):
    /// a person books for themselves and is reached on their own number.
    NotOwn,
}

impl NotAPhone {
    /// The message that asks for the number again.
    pub(super) fn message_id(self) -> &'static str {
        match self {
            NotAPhone::Unreadable => "book-bad-phone",
            NotAPhone::NotOwn => "ops-contact-not-own",
        }
    }
}

/// The phone number shared as the sender's own contact, or typed.
pub(super) fn given_phone(message: &Message) -> Result<Phone, NotAPhone> {
    let text = match message.contact() {
        Some(contact) => {
            let sender = message.from.as_ref().map(|user| user.id);
            if contact.user_id.is_none() || contact.user_id != sender {
                return Err(NotAPhone::NotOwn);
            }
            Some(contact.phone_number.as_str())
        }
        None => message.text(),
    };
    text.and_then(Phone::parse).ok_or(NotAPhone::Unreadable)
}

/// Thanks for the number, and the phone step's keyboard goes away.
pub(super) async fn thank_for_phone(bot: &Bot, ctx: &Ctx, services: &Services) -> HandlerResult {
    let words = Words::new(services, ctx.lang);
    let remove = ReplyMarkup::KeyboardRemove(KeyboardRemove::new());
    say_with(bot, ctx, words.plain("book-thanks"), remove).await
}

/// Whether a message is the Cancel button of the phone step (or the word typed) while a booking or
/// waiting-list step waits.
pub fn typed_cancel(message: Message, ctx: Ctx, services: Services, state: State) -> bool {
    let in_flow = state.has_buttons_waiting()
        || matches!(
            state,
            State::BookingName { .. }
                | State::BookingPhone { .. }
                | State::WaitingName { .. }
                | State::WaitingPhone { .. }
        );
    in_flow && is_label(&message, &ctx, &services, "book-cancel")
}

/// Whether a message is the Back button of the phone step.
pub fn typed_back(message: Message, ctx: Ctx, services: Services, state: State) -> bool {
    let at_phone = matches!(
        state,
        State::BookingPhone { .. } | State::WaitingPhone { .. }
    );
    at_phone && is_label(&message, &ctx, &services, "book-back")
}

/// The button's label, or its word typed (any case, with or without Polish letters and the
/// emoji): "anuluj" is Cancel, "wstecz" is Back.
fn is_label(message: &Message, ctx: &Ctx, services: &Services, id: &str) -> bool {
    let label = services.locales.plain(ctx.lang, id);
    let word = label.trim_start_matches(|c: char| !c.is_alphanumeric());
    message.text().is_some_and(|text| {
        text.trim() == label || crate::fold::fold(text).trim() == crate::fold::fold(word).trim()
    })
}

/// A question typed at a phone step (a `?` or a question word, and no number that reads): answered
/// as at the name step, and the number asked for again (with the step's keyboard); true when so.
pub(super) async fn question_instead_of_phone(
    bot: &Bot,
    ctx: &Ctx,
    services: &Services,
    key: &str,
    message: &Message,
) -> anyhow::Result<bool> {
    let Some(text) = message.text().filter(|text| Phone::parse(text).is_none()) else {
        return Ok(false);
    };
    // "zadzwońcie do mnie" has a question word ("do") and a contact word, and is no question:
    // without a `?`, only a topic of its own ("czy to kosztuje coś") is taken as one.
    use super::ask::View;
    let understood = !matches!(
        View::for_text(services, text),
        View::Unknown | View::Contacts | View::Greeting | View::Thanks
    );
    if !(text.contains('?') || understood)
        || !answered_at_step(bot, ctx, services, key, text).await?
    {
        return Ok(false);
    }
    let words = Words::new(services, ctx.lang);
    let waiting = words.t(
        "book-still-waiting-phone",
        &[("service", words.service_name(key).into())],
    );
    say_with(bot, ctx, waiting, phone_keyboard(&words, None)).await?;
    Ok(true)
}

/// A question typed where a name or a number was asked for (a `?`, or a question word: never in
/// a name): answered when the bot understands it; true when it was a question (the caller says
/// the step still waits).
async fn answered_at_step(
    bot: &Bot,
    ctx: &Ctx,
    services: &Services,
    key: &str,
    text: &str,
) -> anyhow::Result<bool> {
    if !crate::understanding::is_question(text) {
        return Ok(false);
    }
    // A question that names no place ("a gdzie to jest?", "ile to kosztuje?") is about the place
    // being booked: its card, with the aspect asked.
    use super::ask::View;
    let view = match View::for_text(services, text) {
        View::Contacts
        | View::HoursOverview(_)
        | View::Unknown
        | View::Greeting
        | View::Thanks
        | View::Bring
        | View::Cost => {
            let question = services.understanding.understand(text);
            View::Place(key.to_owned(), question.aspect, question.when)
        }
        view => view,
    };
    match view {
        View::Book(..) | View::MyVisits => {}
        view => {
            super::ask::show(bot, ctx, services, &view).await?;
        }
    }
    Ok(true)
}

/// The name step still waits (after a question or a crisis answer): say so, with Cancel.
pub async fn still_waiting_for_name(
    bot: &Bot,
    ctx: &Ctx,
    services: &Services,
    key: &str,
) -> HandlerResult {
    let words = Words::new(services, ctx.lang);
    let waiting = words.t(
        "book-still-waiting-name",
        &[("service", words.service_name(key).into())],
    );
    let keyboard = InlineKeyboardMarkup::new([vec![abort_button(&words)]]);
    say(bot, ctx, waiting, keyboard).await
}

/// Cancel, typed or pressed on the phone step's keyboard: leave the flow.
pub async fn cancel_typed(
    bot: Bot,
    ctx: Ctx,
    services: Services,
    dialogue: BotDialogue,
    state: State,
) -> HandlerResult {
    book::abort(&bot, &ctx, &services, &dialogue, &state).await
}

/// Back from the phone step: to the name again.
pub async fn back_typed(
    bot: Bot,
    ctx: Ctx,
    services: Services,
    dialogue: BotDialogue,
    state: State,
) -> HandlerResult {
    match &state {
        State::BookingPhone { service, start, .. } => {
            book::pick_time(&bot, &ctx, &services, &dialogue, &state, service, *start).await
        }
        State::WaitingPhone { service, .. } => {
            waitlist::wait_join(&bot, &ctx, &services, &dialogue, service).await
        }
        _ => Ok(()),
    }
}
