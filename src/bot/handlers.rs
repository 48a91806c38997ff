//! The endpoints of the handler tree: plain async functions whose arguments dptree injects.

use teloxide::{prelude::*, types::CallbackQuery};

use super::{
    ask::{self, View},
    booking::{self, book, visits, waitlist, Intent},
    callback::{CallbackAction, MenuItem},
    commands::Command,
    context::Ctx,
    keyboards, send,
    state::{BotDialogue, State},
    HandlerResult, Services,
};
use crate::{
    db,
    i18n::Lang,
    understanding::{
        replies::{self, Reply},
        Aspect,
    },
};

/// Back to no conversation in progress; written only when something was in progress, so that
/// plain questions are answered without touching the database (nor when the state is unknown:
/// a conversation waiting in the database is left as it is).
/// Leaving the phone step this way also takes its reply keyboard ("Share number", Back, Cancel)
/// off the screen, saying that nothing was saved.
async fn settle(
    bot: &Bot,
    ctx: &Ctx,
    services: &Services,
    dialogue: &BotDialogue,
    state: &State,
) -> HandlerResult {
    if !matches!(state, State::Idle | State::Unknown) {
        dialogue.update(State::Idle).await?;
    }
    if matches!(
        state,
        State::BookingPhone { .. } | State::WaitingPhone { .. }
    ) {
        let text = services.locales.plain(ctx.lang, "book-aborted");
        let remove =
            teloxide::types::ReplyMarkup::KeyboardRemove(teloxide::types::KeyboardRemove::new());
        booking::say_with(bot, ctx, text, remove).await?;
    }
    Ok(())
}

/// The message `id` with the main menu under it.
async fn with_menu(bot: &Bot, ctx: &Ctx, services: &Services, id: &str) -> HandlerResult {
    let locales = &services.locales;
    let text = locales.plain(ctx.lang, id);
    send::text(
        bot,
        ctx.chat,
        text,
        Some(keyboards::main_menu(locales, ctx.lang)),
    )
    .await?;
    Ok(())
}

/// The greeting and the main menu; to someone whose Telegram speaks a language the bot does not
/// (Russian, say) and who has not chosen one, the language choice too.
async fn show_start(bot: &Bot, ctx: &Ctx, services: &Services) -> HandlerResult {
    with_menu(bot, ctx, services, "start-greeting").await?;
    if ctx.offer_languages {
        let locales = &services.locales;
        let text = locales.plain(ctx.lang, "language-choose");
        let keyboard = keyboards::languages(locales, ctx.lang);
        send::text(bot, ctx.chat, text, Some(keyboard)).await?;
    }
    Ok(())
}

async fn show_menu(bot: &Bot, ctx: &Ctx, services: &Services) -> HandlerResult {
    with_menu(bot, ctx, services, "menu-prompt").await
}

async fn ask_language(
    bot: &Bot,
    ctx: &Ctx,
    services: &Services,
    dialogue: &BotDialogue,
) -> HandlerResult {
    dialogue.update(State::ChoosingLanguage).await?;
    let locales = &services.locales;
    let text = locales.plain(ctx.lang, "language-choose");
    send::text(
        bot,
        ctx.chat,
        text,
        Some(keyboards::languages(locales, ctx.lang)),
    )
    .await?;
    Ok(())
}

/// Saves the choice, says so in the new language, and shows the menu in it.
async fn switch_language(
    bot: &Bot,
    ctx: &Ctx,
    services: &Services,
    dialogue: &BotDialogue,
    lang: Lang,
) -> HandlerResult {
    db::user::set_language(&services.pool, ctx.user_id, lang, services.clock.now()).await?;
    dialogue.update(State::Idle).await?;
    let ctx = Ctx {
        lang,
        ..ctx.clone()
    };
    let locales = &services.locales;
    let text = locales.plain(lang, "language-set");
    send::text(
        bot,
        ctx.chat,
        text,
        Some(keyboards::main_menu(locales, lang)),
    )
    .await?;
    Ok(())
}

async fn open_menu_item(
    bot: &Bot,
    ctx: &Ctx,
    services: &Services,
    dialogue: &BotDialogue,
    item: MenuItem,
) -> HandlerResult {
    let view = match item {
        MenuItem::Hours => View::HoursOverview(None),
        MenuItem::Services => View::Services(None),
        MenuItem::Contact => View::Contacts,
        MenuItem::Book => return book::choose_service(bot, ctx, services).await,
        MenuItem::Visits => return visits::visits(bot, ctx, services).await,
        MenuItem::Language => return ask_language(bot, ctx, services, dialogue).await,
    };
    ask::show(bot, ctx, services, &view).await?;
    Ok(())
}

pub async fn on_command(
    bot: Bot,
    command: Command,
    ctx: Ctx,
    services: Services,
    dialogue: BotDialogue,
    state: State,
) -> HandlerResult {
    match command {
        Command::Start => {
            settle(&bot, &ctx, &services, &dialogue, &state).await?;
            show_start(&bot, &ctx, &services).await
        }
        Command::Help => {
            let locales = &services.locales;
            let text = format!(
                "{}\n\n{}",
                locales.plain(ctx.lang, "help-text"),
                locales.plain(ctx.lang, "help-privacy")
            );
            send::text(
                &bot,
                ctx.chat,
                text,
                Some(keyboards::main_menu(locales, ctx.lang)),
            )
            .await?;
            Ok(())
        }
        Command::Menu => {
            settle(&bot, &ctx, &services, &dialogue, &state).await?;
            show_menu(&bot, &ctx, &services).await
        }
        Command::Privacy => {
            // Asked at the consent step: answered, and the step waits, asked again.
            if matches!(state, State::Consenting { .. }) {
                super::privacy::show(&bot, &ctx, &services).await?;
                return super::privacy::consent_again(&bot, &ctx, &services).await;
            }
            settle(&bot, &ctx, &services, &dialogue, &state).await?;
            super::privacy::show(&bot, &ctx, &services).await
        }
        Command::Mydata => super::privacy::my_data(&bot, &ctx, &services).await,
        Command::Forget => {
            settle(&bot, &ctx, &services, &dialogue, &state).await?;
            super::privacy::forget_ask(&bot, &ctx, &services, &dialogue).await
        }
        Command::Language(code) | Command::Lang(code) => match Lang::from_code(&code) {
            Some(lang) => switch_language(&bot, &ctx, &services, &dialogue, lang).await,
            None => ask_language(&bot, &ctx, &services, &dialogue).await,
        },
    }
}

/// A message right after "Nie" to the consent: a change of mind ("jednak się zgadzam", "Я
/// згодна") takes the consent and goes on where the booking was; anything else is a message
/// with nothing waiting, and the refusal stands.
pub async fn on_declined_typed(
    bot: Bot,
    message: Message,
    ctx: Ctx,
    services: Services,
    dialogue: BotDialogue,
    state: State,
) -> HandlerResult {
    if message.text().and_then(replies::reply) == Some(Reply::Yes) {
        return super::privacy::consent_yes(&bot, &ctx, &services, &dialogue, &state).await;
    }
    dialogue.update(State::Idle).await?;
    on_message(bot, message, ctx, services, dialogue).await
}

/// A typed answer to "which language?": the language's name in either language, or its code.
fn typed_language(text: &str) -> Option<Lang> {
    let word = text
        .trim()
        .trim_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase();
    match word.as_str() {
        "pl" | "polski" | "polish" | "po polsku" | "polskie" => Some(Lang::Pl),
        "en"
        | "english"
        | "angielski"
        | "po angielsku"
        | "ang"
        | "eng"
        | "англійська"
        | "английский" => Some(Lang::En),
        "uk"
        | "ua"
        | "ukrainian"
        | "ukrainski"
        | "ukraiński"
        | "po ukrainsku"
        | "po ukraińsku"
        | "українська"
        | "українською"
        | "украинский"
        | "по-украински" => Some(Lang::Uk),
        _ => None,
    }
}

/// What a message asking for a language asks for, typed at any time ("english please", "po
/// polsku", "українською"): a language the bot speaks, or the choice (Russian is not one).
#[derive(Debug, PartialEq, Eq)]
enum LanguageRequest {
    Speak(Lang),
    Choose,
}

fn language_request(text: &str) -> Option<LanguageRequest> {
    const FILLER: &[&str] = &[
        "please",
        "pls",
        "prosze",
        "in",
        "speak",
        "po",
        "na",
        "mow",
        "mowisz",
        "can",
        "you",
        "do",
        "you",
        "language",
        "jezyk",
        "the",
        "bud",
        "laska",
        "mova",
        "movoiu",
        "iazyk",
        "iazyke",
        "pozhaluista",
        "mozhna",
        "mozhno",
        "chi",
        "ty",
        "vy",
        "govorite",
        "rozmovliaiete",
    ];
    let folded = crate::fold::fold(text);
    let words: Vec<&str> = folded
        .split_whitespace()
        .filter(|w| !FILLER.contains(w))
        .collect();
    // Only a request about the language, not a question that mentions one ("english courses?").
    if words.len() != 1 || folded.split_whitespace().count() > 5 {
        return None;
    }
    match words[0] {
        "english" | "angielsku" | "angielski" | "angliiskoiu" | "angliiskii" | "angliiski" => {
            Some(LanguageRequest::Speak(Lang::En))
        }
        "polsku" | "polski" | "polish" | "polskoiu" | "polskii" | "polski1" => {
            Some(LanguageRequest::Speak(Lang::Pl))
        }
        "ukrainian" | "ukrainsku" | "ukrainski" | "ukrayinskoiu" | "ukrayinska" | "ukrainskii"
        | "ukrayinski" => Some(LanguageRequest::Speak(Lang::Uk)),
        "russian" | "rosyjsku" | "russki" | "russkii" | "russkom" | "rosiiskoiu" => {
            Some(LanguageRequest::Choose)
        }
        _ => None,
    }
}

/// A message that is not a command, with no step waiting for it: a question, or a menu word.
pub async fn on_message(
    bot: Bot,
    message: Message,
    ctx: Ctx,
    services: Services,
    dialogue: BotDialogue,
) -> HandlerResult {
    let Some(text) = message.text() else {
        return with_menu(&bot, &ctx, &services, "fallback-not-text").await;
    };
    // "menu" typed is the menu, as /menu is.
    let folded = crate::fold::fold(text);
    if matches!(
        folded.trim(),
        "menu" | "meniu" | "menyu" | "menu glowne" | "main menu" | "start" | "holovne meniu"
    ) {
        return show_menu(&bot, &ctx, &services).await;
    }
    match language_request(text) {
        Some(LanguageRequest::Speak(lang)) => {
            switch_language(&bot, &ctx, &services, &dialogue, lang).await
        }
        Some(LanguageRequest::Choose) => ask_language(&bot, &ctx, &services, &dialogue).await,
        None => {
            if let Some(next) = ask::answer(&bot, &ctx, &services, text).await? {
                dialogue.update(next).await?;
            }
            Ok(())
        }
    }
}

/// A typed answer to "which language?"; a question instead is answered, and the choice dropped.
pub async fn on_language_typed(
    bot: Bot,
    message: Message,
    ctx: Ctx,
    services: Services,
    dialogue: BotDialogue,
) -> HandlerResult {
    let Some(text) = message.text() else {
        return with_menu(&bot, &ctx, &services, "fallback-not-text").await;
    };
    if let Some(lang) = typed_language(text) {
        return switch_language(&bot, &ctx, &services, &dialogue, lang).await;
    }
    if View::for_text(&services, text) == View::Unknown {
        let locales = &services.locales;
        let reply = locales.plain(ctx.lang, "language-unknown");
        let keyboard = keyboards::languages(locales, ctx.lang);
        send::text(&bot, ctx.chat, reply, Some(keyboard)).await?;
        return Ok(());
    }
    let next = ask::answer(&bot, &ctx, &services, text).await?;
    dialogue.update(next.unwrap_or(State::Idle)).await?;
    Ok(())
}

/// A button that names nothing the bot knows (forged, or from an older version): say so, show the menu.
async fn stale_button(
    bot: &Bot,
    ctx: &Ctx,
    services: &Services,
    query: &CallbackQuery,
) -> HandlerResult {
    // Said in a message, not only in a toast: screen readers do not read toasts.
    send::answer_button(bot, &query.id, None).await?;
    with_menu(bot, ctx, services, "button-stale").await
}

pub async fn on_button(
    bot: Bot,
    query: CallbackQuery,
    ctx: Ctx,
    services: Services,
    dialogue: BotDialogue,
    state: State,
) -> HandlerResult {
    let action = query.data.as_deref().and_then(CallbackAction::parse);
    let Some(action) = action else {
        return stale_button(&bot, &ctx, &services, &query).await;
    };
    let view = match action {
        CallbackAction::Centre(key, aspect) => {
            View::Centre(key, aspect.unwrap_or(Aspect::Overview), None)
        }
        CallbackAction::Place(key, aspect) => {
            View::Place(key, aspect.unwrap_or(Aspect::Overview), None)
        }
        CallbackAction::NgoOffer => View::NgoOffer,
        CallbackAction::Documents => View::Documents,
        CallbackAction::Menu(item) => {
            send::answer_button(&bot, &query.id, None).await?;
            // A main-menu choice leaves a booking in progress ("my visits" from a move's "No"
            // included).
            settle(&bot, &ctx, &services, &dialogue, &state).await?;
            return open_menu_item(&bot, &ctx, &services, &dialogue, item).await;
        }
        CallbackAction::SetLanguage(lang) => {
            send::answer_button(&bot, &query.id, None).await?;
            return switch_language(&bot, &ctx, &services, &dialogue, lang).await;
        }
        CallbackAction::Home => {
            send::answer_button(&bot, &query.id, None).await?;
            settle(&bot, &ctx, &services, &dialogue, &state).await?;
            return show_menu(&bot, &ctx, &services).await;
        }
        CallbackAction::NewsJoin(topic) => {
            send::answer_button(&bot, &query.id, None).await?;
            return super::news::join(&bot, &ctx, &services, &topic).await;
        }
        CallbackAction::NewsLeave(topic) => {
            send::answer_button(&bot, &query.id, None).await?;
            return super::news::leave(&bot, &ctx, &services, &topic).await;
        }
        CallbackAction::StaffAgenda(..)
        | CallbackAction::StaffMark(..)
        | CallbackAction::StaffAudit
        | CallbackAction::StaffExport
        | CallbackAction::StaffCloseConfirm
        | CallbackAction::StaffNewsConfirm
        | CallbackAction::StaffCancel(..)
        | CallbackAction::StaffMove(_)
        | CallbackAction::StaffHome
        | CallbackAction::StaffCancelYes => {
            // To anyone but staff, exactly what a stale or forged button gets.
            if super::staff::member(&services, ctx.user_id).is_none() {
                return stale_button(&bot, &ctx, &services, &query).await;
            }
            send::answer_button(&bot, &query.id, None).await?;
            let message = query.message.as_ref().map(|m| m.id());
            let ends = action.ends_its_step();
            match action {
                CallbackAction::StaffCloseConfirm => {
                    super::staff::close_confirmed(&bot, &ctx, &services, &dialogue, &state).await?
                }
                CallbackAction::StaffNewsConfirm => {
                    super::news::announce_confirmed(&bot, &ctx, &services, &dialogue, &state)
                        .await?
                }
                CallbackAction::StaffCancelYes => {
                    super::staff::cancel_confirmed(&bot, &ctx, &services, &dialogue, &state).await?
                }
                action => {
                    super::staff::on_button(&bot, &ctx, &services, &dialogue, message, action)
                        .await?
                }
            }
            if let Some(message) = message.filter(|_| ends) {
                send::clear_buttons(&bot, ctx.chat, message).await;
            }
            return Ok(());
        }
        booking_action => {
            send::answer_button(&bot, &query.id, None).await?;
            let ends = booking_action.ends_its_step();
            on_booking_button(&bot, &ctx, &services, &dialogue, &state, booking_action).await?;
            if let Some(message) = query.message.as_ref().filter(|_| ends) {
                send::clear_buttons(&bot, ctx.chat, message.id()).await;
            }
            return Ok(());
        }
    };
    if !view.names_known(&services.directory) {
        return stale_button(&bot, &ctx, &services, &query).await;
    }
    send::answer_button(&bot, &query.id, None).await?;
    ask::show(&bot, &ctx, &services, &view).await?;
    Ok(())
}

/// The buttons of booking, my visits and the waiting list.
async fn on_booking_button(
    bot: &Bot,
    ctx: &Ctx,
    services: &Services,
    dialogue: &BotDialogue,
    state: &State,
    action: CallbackAction,
) -> HandlerResult {
    // The step the press opens, where the person may type instead of pressing; or Idle after a
    // step that ends the conversation's thread.
    let next = match &action {
        CallbackAction::Book(Some(key)) => Some(State::ChoosingDay {
            service: key.clone(),
        }),
        CallbackAction::BookDay(key, day) => Some(State::ChoosingTime {
            service: key.clone(),
            day: *day,
        }),
        CallbackAction::VisitMove(id) => Some(State::MovingDay { visit: *id }),
        CallbackAction::MoveDay(id, day) => Some(State::MovingTime {
            visit: *id,
            day: *day,
        }),
        CallbackAction::MoveTime(id, start) => Some(State::ConfirmingMove {
            visit: *id,
            start: *start,
        }),
        CallbackAction::VisitCancel(id) => Some(State::ConfirmingCancel { visit: *id }),
        CallbackAction::MoveConfirm(..)
        | CallbackAction::VisitCancelYes(_)
        | CallbackAction::OfferTake(_)
        | CallbackAction::OfferDecline(_)
        | CallbackAction::Attend(_) => Some(State::Idle),
        _ => None,
    };
    // The step is kept only when its buttons were shown (not when the visit limit, a full day
    // or a stale visit answered instead).
    if !dispatch_booking(bot, ctx, services, dialogue, state, action).await? {
        return Ok(());
    }
    match next {
        Some(next) if next != *state => dialogue.update(next).await.map_err(Into::into),
        _ => Ok(()),
    }
}

/// Does what a booking button says; false when the step it leads to was not shown.
async fn dispatch_booking(
    bot: &Bot,
    ctx: &Ctx,
    services: &Services,
    dialogue: &BotDialogue,
    state: &State,
    action: CallbackAction,
) -> anyhow::Result<bool> {
    let shown = match action {
        CallbackAction::Book(Some(key)) => {
            return book::choose_day(bot, ctx, services, &key, Intent::New).await
        }
        CallbackAction::BookDay(key, day) => {
            return book::choose_time(bot, ctx, services, &key, day, Intent::New).await
        }
        CallbackAction::VisitMove(id) => return visits::move_start(bot, ctx, services, id).await,
        CallbackAction::MoveDay(id, day) => {
            return visits::move_day(bot, ctx, services, id, day).await
        }
        other => other,
    };
    dispatch_step(bot, ctx, services, dialogue, state, shown).await?;
    Ok(true)
}

async fn dispatch_step(
    bot: &Bot,
    ctx: &Ctx,
    services: &Services,
    dialogue: &BotDialogue,
    state: &State,
    action: CallbackAction,
) -> HandlerResult {
    match action {
        CallbackAction::Book(None) => book::choose_service(bot, ctx, services).await,
        CallbackAction::Book(Some(_))
        | CallbackAction::BookDay(..)
        | CallbackAction::VisitMove(_)
        | CallbackAction::MoveDay(..) => Ok(()),
        CallbackAction::BookTime(key, start) => {
            book::pick_time(bot, ctx, services, dialogue, state, &key, start).await
        }
        CallbackAction::BookConfirm => book::confirm(bot, ctx, services, dialogue, state).await,
        CallbackAction::BookAbort => book::abort(bot, ctx, services, dialogue, state).await,
        CallbackAction::BookBack => book::back_to_phone(bot, ctx, services, dialogue, state).await,
        CallbackAction::MoveTime(id, start) => {
            visits::move_time(bot, ctx, services, id, start).await
        }
        CallbackAction::MoveConfirm(id, start) => {
            visits::move_confirm(bot, ctx, services, id, start).await
        }
        CallbackAction::VisitCancel(id) => visits::cancel_ask(bot, ctx, services, id).await,
        CallbackAction::VisitCancelYes(id) => visits::cancel_yes(bot, ctx, services, id).await,
        CallbackAction::WaitJoin(key) => {
            waitlist::wait_join(bot, ctx, services, dialogue, &key).await
        }
        CallbackAction::WaitLeave(id) => waitlist::leave(bot, ctx, services, id).await,
        CallbackAction::OfferTake(id) => waitlist::offer_take(bot, ctx, services, id).await,
        CallbackAction::OfferDecline(id) => waitlist::offer_decline(bot, ctx, services, id).await,
        CallbackAction::Attend(id) => visits::attend(bot, ctx, services, id).await,
        CallbackAction::Home
        | CallbackAction::Menu(_)
        | CallbackAction::SetLanguage(_)
        | CallbackAction::Centre(..)
        | CallbackAction::Place(..)
        | CallbackAction::NgoOffer
        | CallbackAction::Documents
        | CallbackAction::StaffAgenda(..)
        | CallbackAction::StaffMark(..)
        | CallbackAction::StaffAudit
        | CallbackAction::StaffExport
        | CallbackAction::StaffCloseConfirm
        | CallbackAction::NewsJoin(_)
        | CallbackAction::NewsLeave(_)
        | CallbackAction::StaffNewsConfirm
        | CallbackAction::StaffCancel(..)
        | CallbackAction::StaffMove(_)
        | CallbackAction::StaffHome
        | CallbackAction::StaffCancelYes => show_menu(bot, ctx, services).await,
        CallbackAction::Privacy => super::privacy::show(bot, ctx, services).await,
        CallbackAction::ConsentYes => {
            super::privacy::consent_yes(bot, ctx, services, dialogue, state).await
        }
        CallbackAction::ConsentNo => {
            super::privacy::consent_no(bot, ctx, services, dialogue, state).await
        }
        CallbackAction::MyData => super::privacy::my_data(bot, ctx, services).await,
        CallbackAction::Forget => super::privacy::forget_ask(bot, ctx, services, dialogue).await,
        CallbackAction::ForgetYes => super::privacy::forget_yes(bot, ctx, services, state).await,
        CallbackAction::Discreet(on) => {
            super::privacy::set_discreet(bot, ctx, services, on).await?;
            // Chosen from the card shown at the consent step: the step waits, asked again.
            if matches!(state, State::Consenting { .. }) {
                super::privacy::consent_again(bot, ctx, services).await?;
            }
            Ok(())
        }
    }
}

/// Replies that say yes to "confirm?" / "cancel this visit?" (folded; the buttons' own words
/// included), and those that say no.
const YES: &[&str] = &[
    "tak",
    "potwierdzam",
    "potwierdz",
    "potwierdzic",
    "ok",
    "okej",
    "okay",
    "dobrze",
    "zgoda",
    "jasne",
    "yes",
    "yeah",
    "yep",
    "sure",
    "confirm",
    "pidtverdzhuiu",
    "da",
    "podtverzhdaiu",
];
const NO: &[&str] = &["nie", "no", "nope", "ni", "net", "zostaw"];

/// Whether a reply is only a no ("nie", "Nie.", "anuluj", "no"): "nie będzie prawnika" is not one.
pub(super) fn says_no(text: &str) -> bool {
    let folded = crate::fold::fold(text);
    let words: Vec<&str> = folded.split_whitespace().collect();
    matches!(words.as_slice(), [w] if NO.contains(w) || *w == "anuluj" || *w == "cancel")
}

/// The first word of a short reply, folded.
fn short_reply(text: &str) -> Option<String> {
    let folded = crate::fold::fold(text);
    let words: Vec<&str> = folded.split_whitespace().collect();
    (words.len() <= 4).then(|| words.first().map(|w| (*w).to_owned()))?
}

/// What a text typed at a step with buttons means as a press of one of them, if anything.
fn typed_step(services: &Services, state: &State, text: &str) -> Option<CallbackAction> {
    let whole = replies::reply(text);
    let reply = short_reply(text);
    // "no dobrze" is a yes: the whole reply first, then its first word.
    let yes = whole == Some(Reply::Yes)
        || (whole.is_none() && reply.as_deref().is_some_and(|w| YES.contains(&w)));
    let today = services.today();
    let day = || {
        services
            .understanding
            .when(text)
            .and_then(|when| when.date(today))
    };
    let start = |day: chrono::NaiveDate| {
        crate::understanding::clock_time(text)
            .map(|time| crate::hours::instant(day, time, false).timestamp())
    };
    match state {
        State::BookingConfirm { .. } if yes => Some(CallbackAction::BookConfirm),
        // Consent only when the whole message gives it.
        State::Consenting { .. } => {
            (whole == Some(Reply::Yes)).then_some(CallbackAction::ConsentYes)
        }
        State::ConfirmingForget if yes => Some(CallbackAction::ForgetYes),
        State::ConfirmingCancel { visit } if yes => Some(CallbackAction::VisitCancelYes(*visit)),
        State::ConfirmingMove { visit, start } if yes => {
            Some(CallbackAction::MoveConfirm(*visit, *start))
        }
        State::ChoosingDay { service } => {
            day().map(|d| CallbackAction::BookDay(service.clone(), d))
        }
        State::MovingDay { visit } => day().map(|d| CallbackAction::MoveDay(*visit, d)),
        State::ChoosingTime {
            service,
            day: shown,
        } => match day().filter(|d| d != shown) {
            Some(d) => Some(CallbackAction::BookDay(service.clone(), d)),
            None => start(*shown).map(|t| CallbackAction::BookTime(service.clone(), t)),
        },
        State::MovingTime { visit, day: shown } => match day().filter(|d| d != shown) {
            Some(d) => Some(CallbackAction::MoveDay(*visit, d)),
            None => start(*shown).map(|t| CallbackAction::MoveTime(*visit, t)),
        },
        _ => None,
    }
}

/// A typed day or time as the press of a button that was offered: a weekday is the first free
/// day of that weekday; a date or time that is not free is the message that says so.
pub(super) async fn offered(
    services: &Services,
    ctx: &Ctx,
    text: &str,
    action: CallbackAction,
) -> anyhow::Result<Result<CallbackAction, &'static str>> {
    use chrono::Datelike;
    let key = match &action {
        CallbackAction::BookDay(key, _) | CallbackAction::BookTime(key, _) => key.clone(),
        CallbackAction::MoveDay(id, _) | CallbackAction::MoveTime(id, _) => {
            let now = services.clock.now();
            match db::booking::own_upcoming(&services.pool, *id, ctx.user_id, now).await? {
                Some(booking) => booking.service_key,
                None => return Ok(Ok(action)),
            }
        }
        _ => return Ok(Ok(action)),
    };
    let Some(svc) = booking::service(services, &key) else {
        return Ok(Ok(action));
    };
    let free = booking::free_slots(services, &svc, services.clock.now()).await?;
    let weekday = match services.understanding.when(text) {
        Some(crate::understanding::When::On(weekday)) => Some(weekday),
        _ => None,
    };
    let free_day = |day: chrono::NaiveDate| match weekday {
        Some(weekday) => free
            .iter()
            .map(|slot| slot.start.date_naive())
            .find(|d| d.weekday() == weekday),
        None => free
            .iter()
            .map(|slot| slot.start.date_naive())
            .find(|d| *d == day),
    };
    let is_free = |start: i64| free.iter().any(|slot| slot.start.timestamp() == start);
    Ok(match action {
        CallbackAction::BookDay(key, day) => free_day(day)
            .map(|d| CallbackAction::BookDay(key, d))
            .ok_or("step-day-not-free"),
        CallbackAction::MoveDay(id, day) => free_day(day)
            .map(|d| CallbackAction::MoveDay(id, d))
            .ok_or("step-day-not-free"),
        CallbackAction::BookTime(key, start) if is_free(start) => {
            Ok(CallbackAction::BookTime(key, start))
        }
        CallbackAction::MoveTime(id, start) if is_free(start) => {
            Ok(CallbackAction::MoveTime(id, start))
        }
        CallbackAction::BookTime(..) | CallbackAction::MoveTime(..) => Err("step-time-not-free"),
        other => Ok(other),
    })
}

/// Text typed where buttons wait (a day, a time, "confirm?"): a day, a time or a yes is taken
/// as the press; a no keeps things as they are; a question is answered and the step waits,
/// saying so; anything else is told to use the buttons above or type the choice.
pub async fn on_step_typed(
    bot: Bot,
    message: Message,
    ctx: Ctx,
    services: Services,
    dialogue: BotDialogue,
    state: State,
) -> HandlerResult {
    let Some(text) = message.text() else {
        return with_menu(&bot, &ctx, &services, "fallback-not-text").await;
    };
    if let Some(action) = typed_step(&services, &state, text) {
        // A day or time typed is checked against what is free, as the buttons were.
        let action = match offered(&services, &ctx, text, action).await? {
            Ok(action) => action,
            Err(id) => {
                let words = services.locales.plain(ctx.lang, id);
                send::text(&bot, ctx.chat, words, None).await?;
                return Ok(());
            }
        };
        // "jutro o 13": the day, then its time when one was typed too and is free.
        let then = match &action {
            CallbackAction::BookDay(service, day) => Some(State::ChoosingTime {
                service: service.clone(),
                day: *day,
            }),
            CallbackAction::MoveDay(visit, day) => Some(State::MovingTime {
                visit: *visit,
                day: *day,
            }),
            _ => None,
        };
        on_booking_button(&bot, &ctx, &services, &dialogue, &state, action).await?;
        if let Some(next) = then.filter(|_| crate::understanding::clock_time(text).is_some()) {
            if let Some(time) = typed_step(&services, &next, text) {
                if let Ok(time) = offered(&services, &ctx, text, time).await? {
                    if matches!(
                        time,
                        CallbackAction::BookTime(..) | CallbackAction::MoveTime(..)
                    ) {
                        return on_booking_button(&bot, &ctx, &services, &dialogue, &next, time)
                            .await;
                    }
                }
            }
        }
        return Ok(());
    }
    let whole = replies::reply(text);
    let no = whole == Some(Reply::No)
        || (whole.is_none() && short_reply(text).is_some_and(|w| NO.contains(&w.as_str())));
    match &state {
        State::BookingConfirm { .. } if no => {
            return book::abort(&bot, &ctx, &services, &dialogue, &state).await;
        }
        State::Consenting { .. } if whole == Some(Reply::No) => {
            return super::privacy::consent_no(&bot, &ctx, &services, &dialogue, &state).await;
        }
        State::ConfirmingCancel { .. } | State::ConfirmingMove { .. } | State::ConfirmingForget
            if no =>
        {
            dialogue.update(State::Idle).await?;
            return with_menu(&bot, &ctx, &services, "step-kept").await;
        }
        _ => {}
    }
    let hint = match &state {
        State::ChoosingDay { .. } | State::MovingDay { .. } => "step-pick-day",
        State::ChoosingTime { .. } | State::MovingTime { .. } => "step-pick-time",
        State::ConfirmingCancel { .. } => "step-confirm-cancel",
        State::ConfirmingMove { .. } => "step-confirm-move",
        State::Consenting { .. } => "consent-pick",
        State::ConfirmingForget => "forget-pick",
        _ => "step-confirm-booking",
    };
    if let Some(request) = language_request(text) {
        return match request {
            LanguageRequest::Speak(lang) => {
                switch_language(&bot, &ctx, &services, &dialogue, lang).await
            }
            LanguageRequest::Choose => ask_language(&bot, &ctx, &services, &dialogue).await,
        };
    }
    let view = View::for_text(&services, text);
    let answered = view != View::Unknown;
    if answered {
        // A question: answered; a new flow it starts (a booking, my visits) takes over, even
        // when it opened no step (a fully booked service): the old step is not shown again.
        let new_flow = matches!(view, View::Book(..) | View::MyVisits);
        // "Is it free?" at a step: about the point being booked.
        let next = match (&view, state.service()) {
            (View::Cost, Some(key)) => {
                let point = View::Place(key.to_owned(), Aspect::Cost, None);
                ask::show(&bot, &ctx, &services, &point).await?;
                None
            }
            _ => ask::answer(&bot, &ctx, &services, text).await?,
        };
        if next.is_some() || new_flow {
            dialogue.update(next.unwrap_or(State::Idle)).await?;
            return Ok(());
        }
    }
    if matches!(state, State::Consenting { .. }) {
        // Asked again right under what was said, with its own buttons: those "above" may be
        // another card's.
        return super::privacy::consent_again(&bot, &ctx, &services).await;
    }
    if answered {
        // The days or times again under the answer, whose own buttons are now "above".
        if let Some(shown) = show_step_again(&bot, &ctx, &services, &state).await? {
            if !shown {
                dialogue.update(State::Idle).await?;
            }
            return Ok(());
        }
    }
    let words = services.locales.plain(ctx.lang, hint);
    send::text(&bot, ctx.chat, words, None).await?;
    Ok(())
}

/// The days or times of a step shown again (after a side question was answered under them):
/// whether they were (None for a step that has no such card).
async fn show_step_again(
    bot: &Bot,
    ctx: &Ctx,
    services: &Services,
    state: &State,
) -> anyhow::Result<Option<bool>> {
    Ok(Some(match state {
        State::ChoosingDay { service } => {
            book::choose_day(bot, ctx, services, service, Intent::New).await?
        }
        State::ChoosingTime { service, day } => {
            book::choose_time(bot, ctx, services, service, *day, Intent::New).await?
        }
        State::MovingDay { visit } => visits::move_start(bot, ctx, services, *visit).await?,
        State::MovingTime { visit, day } => {
            visits::move_day(bot, ctx, services, *visit, *day).await?
        }
        _ => return Ok(None),
    }))
}

/// The database did not say where the conversation is: say so, with the menu.
async fn say_unavailable(bot: &Bot, ctx: &Ctx, services: &Services) -> HandlerResult {
    with_menu(bot, ctx, services, "database-unavailable").await
}

/// A message while the conversation is unknown (the database did not answer): a question is
/// answered (hours and addresses need no database); anything else, which may be a step of a
/// conversation waiting in the database (a name, a phone number), is not taken as something else.
pub async fn on_message_unknown_state(
    bot: Bot,
    message: Message,
    ctx: Ctx,
    services: Services,
) -> HandlerResult {
    let Some(text) = message.text() else {
        return say_unavailable(&bot, &ctx, &services).await;
    };
    match View::for_text(&services, text) {
        // Booking and one's visits need the records.
        View::Unknown | View::Book(..) | View::MyVisits => {
            say_unavailable(&bot, &ctx, &services).await
        }
        // Never a booking here (excluded above), so no step to keep.
        _ => ask::answer(&bot, &ctx, &services, text).await.map(|_| ()),
    }
}

/// A button while the conversation is unknown: the directory's buttons work as ever; the steps of
/// booking, visits and the waiting list wait until the database answers.
pub async fn on_button_unknown_state(
    bot: Bot,
    query: CallbackQuery,
    ctx: Ctx,
    services: Services,
    dialogue: BotDialogue,
) -> HandlerResult {
    let action = query.data.as_deref().and_then(CallbackAction::parse);
    if action.as_ref().is_some_and(CallbackAction::needs_records) {
        send::answer_button(&bot, &query.id, None).await?;
        return say_unavailable(&bot, &ctx, &services).await;
    }
    on_button(bot, query, ctx, services, dialogue, State::Unknown).await
}

/// The words of danger or crisis in a typed message, if any (the directory's `[[crisis]]` key).
#[derive(Clone, Debug)]
pub struct CrisisWords(String);

pub fn typed_crisis(message: Message, services: Services) -> Option<CrisisWords> {
    let text = message.text()?;
    let key = services.understanding.crisis(text)?;
    Some(CrisisWords(key.to_owned()))
}

/// Words of danger or crisis: the emergency numbers and helplines first, with no menu in the way.
/// A step in progress (a booking's name, say) keeps waiting.
pub async fn on_crisis(
    bot: Bot,
    message: Message,
    ctx: Ctx,
    services: Services,
    state: State,
    CrisisWords(key): CrisisWords,
) -> HandlerResult {
    // Someone in danger is answered in the language they wrote in, whatever their phone says.
    let written = crate::i18n::Lang::written_in(message.text().unwrap_or_default());
    let in_their_words = Ctx {
        lang: written.unwrap_or(ctx.lang),
        ..ctx.clone()
    };
    ask::show(&bot, &in_their_words, &services, &View::Crisis(key)).await?;
    // Then, gently, where the booking stands: it waits.
    match &state {
        State::BookingName { service, .. } | State::WaitingName { service } => {
            booking::still_waiting_for_name(&bot, &ctx, &services, service).await
        }
        _ => Ok(()),
    }
}

/// The stored state could not be read: start over from the menu, and say why.
pub async fn on_lost_state(
    bot: Bot,
    ctx: Ctx,
    services: Services,
    dialogue: BotDialogue,
) -> HandlerResult {
    dialogue.exit().await?;
    let locales = &services.locales;
    let text = locales.plain(ctx.lang, "state-lost");
    send::text(
        &bot,
        ctx.chat,
        text,
        Some(keyboards::main_menu(locales, ctx.lang)),
    )
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_language_names_are_understood() {
        assert_eq!(typed_language(" Polski "), Some(Lang::Pl));
        assert_eq!(typed_language("english!"), Some(Lang::En));
        assert_eq!(typed_language("EN"), Some(Lang::En));
        assert_eq!(typed_language("Українська"), Some(Lang::Uk));
    }

    #[test]
    fn a_language_is_asked_for_in_words() {
        let speak = |lang| Some(LanguageRequest::Speak(lang));
        assert_eq!(language_request("english please"), speak(Lang::En));
        assert_eq!(language_request("In English, please!"), speak(Lang::En));
        assert_eq!(language_request("po polsku"), speak(Lang::Pl));
        assert_eq!(language_request("po polsku prosze"), speak(Lang::Pl));
        assert_eq!(language_request("українською"), speak(Lang::Uk));
        assert_eq!(language_request("Українською, будь ласка"), speak(Lang::Uk));
        assert_eq!(language_request("по-русски"), Some(LanguageRequest::Choose));
        assert_eq!(language_request("are there english courses?"), None);
        assert_eq!(language_request("kiedy jest prawnik"), None);
        assert_eq!(typed_language("klingon"), None);
        assert_eq!(typed_language(""), None);
    }
}
