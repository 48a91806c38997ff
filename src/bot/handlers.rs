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
use crate::{db, i18n::Lang, understanding::Aspect};

/// Back to no conversation in progress; written only when something was in progress, so that
/// plain questions are answered without touching the database (nor when the state is unknown:
/// a conversation waiting in the database is left as it is).
async fn settle(dialogue: &BotDialogue, state: &State) -> HandlerResult {
    if !matches!(state, State::Idle | State::Unknown) {
        dialogue.update(State::Idle).await?;
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
            settle(&dialogue, &state).await?;
            show_start(&bot, &ctx, &services).await
        }
        Command::Help => {
            let locales = &services.locales;
            let text = locales.plain(ctx.lang, "help-text");
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
            settle(&dialogue, &state).await?;
            show_menu(&bot, &ctx, &services).await
        }
        Command::Language(code) | Command::Lang(code) => match Lang::from_code(&code) {
            Some(lang) => switch_language(&bot, &ctx, &services, &dialogue, lang).await,
            None => ask_language(&bot, &ctx, &services, &dialogue).await,
        },
    }
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
    match language_request(text) {
        Some(LanguageRequest::Speak(lang)) => {
            switch_language(&bot, &ctx, &services, &dialogue, lang).await
        }
        Some(LanguageRequest::Choose) => ask_language(&bot, &ctx, &services, &dialogue).await,
        None => ask::answer(&bot, &ctx, &services, text).await,
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
    dialogue.update(State::Idle).await?;
    ask::answer(&bot, &ctx, &services, text).await
}

/// A button that names nothing the bot knows (forged, or from an older version): say so, show the menu.
async fn stale_button(
    bot: &Bot,
    ctx: &Ctx,
    services: &Services,
    query: &CallbackQuery,
) -> HandlerResult {
    let notice = services.locales.plain(ctx.lang, "button-stale");
    send::answer_button(bot, &query.id, Some(notice)).await?;
    show_menu(bot, ctx, services).await
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
            return open_menu_item(&bot, &ctx, &services, &dialogue, item).await;
        }
        CallbackAction::SetLanguage(lang) => {
            send::answer_button(&bot, &query.id, None).await?;
            return switch_language(&bot, &ctx, &services, &dialogue, lang).await;
        }
        CallbackAction::Home => {
            send::answer_button(&bot, &query.id, None).await?;
            settle(&dialogue, &state).await?;
            return show_menu(&bot, &ctx, &services).await;
        }
        booking_action => {
            send::answer_button(&bot, &query.id, None).await?;
            return on_booking_button(&bot, &ctx, &services, &dialogue, &state, booking_action)
                .await;
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
    match action {
        CallbackAction::Book(None) => book::choose_service(bot, ctx, services).await,
        CallbackAction::Book(Some(key)) => {
            book::choose_day(bot, ctx, services, &key, Intent::New).await
        }
        CallbackAction::BookDay(key, day) => {
            book::choose_time(bot, ctx, services, &key, day, Intent::New).await
        }
        CallbackAction::BookTime(key, start) => {
            book::pick_time(bot, ctx, services, dialogue, state, &key, start).await
        }
        CallbackAction::BookConfirm => book::confirm(bot, ctx, services, dialogue, state).await,
        CallbackAction::BookAbort => book::abort(bot, ctx, services, dialogue).await,
        CallbackAction::VisitMove(id) => visits::move_start(bot, ctx, services, id).await,
        CallbackAction::MoveDay(id, day) => visits::move_day(bot, ctx, services, id, day).await,
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
        CallbackAction::OfferTake(id) => waitlist::offer_take(bot, ctx, services, id).await,
        CallbackAction::OfferDecline(id) => waitlist::offer_decline(bot, ctx, services, id).await,
        CallbackAction::Attend(id) => visits::attend(bot, ctx, services, id).await,
        CallbackAction::Home
        | CallbackAction::Menu(_)
        | CallbackAction::SetLanguage(_)
        | CallbackAction::Centre(..)
        | CallbackAction::Place(..)
        | CallbackAction::NgoOffer
        | CallbackAction::Documents => show_menu(bot, ctx, services).await,
    }
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
        View::Unknown | View::Book(_) | View::MyVisits => {
            say_unavailable(&bot, &ctx, &services).await
        }
        _ => ask::answer(&bot, &ctx, &services, text).await,
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
    ctx: Ctx,
    services: Services,
    state: State,
    CrisisWords(key): CrisisWords,
) -> HandlerResult {
    ask::show(&bot, &ctx, &services, &View::Crisis(key)).await?;
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
