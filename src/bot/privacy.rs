//! Personal data, as the person sees it: `/privacy` (what is stored, why, for how long, who sees
//! it, whom to ask), consent asked once before a name and phone are stored, `/mydata` (everything
//! stored, as a JSON file), `/forget` (erase it, after a confirm), the discreet-reminders choice,
//! and the retention worker that erases old names and phones by itself.

use std::time::Duration;

use chrono::{DateTime, Utc};
use fluent_bundle::FluentValue;
use serde::Deserialize;

use teloxide::{
    prelude::*,
    types::{InlineKeyboardButton, InlineKeyboardMarkup, InputFile},
};

use super::{
    booking::{self, Words},
    callback::CallbackAction,
    context::Ctx,
    send,
    state::{BotDialogue, State},
    HandlerResult, Services,
};
use crate::{
    db::{
        self,
        outbox::{self, NewJob},
    },
    i18n::Lang,
};

fn button(label: String, action: CallbackAction) -> InlineKeyboardButton {
    InlineKeyboardButton::callback(label, action.encode())
}

/// Whom a person asks about their data: the file's contact centre (name, phone, e-mail), or,
/// without a `[privacy]` section, every centre with a phone.
fn contact_lines(services: &Services, lang: Lang) -> Vec<String> {
    let locales = &services.locales;
    let directory = &services.directory;
    let mut lines = Vec::new();
    if let Some(privacy) = &directory.privacy {
        let address = privacy.address.clone().unwrap_or_default();
        let (id, args): (&str, Vec<(&str, FluentValue<'_>)>) = if address.is_empty() {
            (
                "privacy-controller",
                vec![("controller", privacy.controller.get(lang).to_owned().into())],
            )
        } else {
            (
                "privacy-controller-at",
                vec![
                    ("controller", privacy.controller.get(lang).to_owned().into()),
                    ("address", address.into()),
                ],
            )
        };
        lines.push(locales.text(lang, id, &args));
        if let Some(centre) = directory.centre(&privacy.contact) {
            let details: Vec<&str> = [centre.phone.as_deref(), centre.email.as_deref()]
                .into_iter()
                .flatten()
                .collect();
            let details = if details.is_empty() {
                centre.address.clone()
            } else {
                details.join(", ")
            };
            lines.push(locales.text(
                lang,
                "privacy-contact",
                &[
                    ("centre", centre.name.get(lang).to_owned().into()),
                    ("details", details.into()),
                ],
            ));
        }
        return lines;
    }
    lines.push(locales.plain(lang, "privacy-ask-centre"));
    for centre in &directory.centres {
        if let Some(phone) = &centre.phone {
            lines.push(locales.text(
                lang,
                "unknown-phone",
                &[
                    ("centre", centre.short.get(lang).to_owned().into()),
                    ("phone", phone.clone().into()),
                ],
            ));
        }
    }
    lines
}

/// The text of `/privacy`: what, why, who sees it, for how long, and whom to ask.
pub fn text(services: &Services, lang: Lang) -> String {
    let mut lines = vec![services.locales.text(
        lang,
        "privacy-text",
        &[("days", services.retention_days.into())],
    )];
    lines.extend(contact_lines(services, lang));
    lines.join("\n")
}

/// Under `/privacy`: my data, erase my data, and the reminders' wording (the choice to make).
pub fn keyboard(services: &Services, lang: Lang, discreet: bool) -> InlineKeyboardMarkup {
    let plain = |id: &str| services.locales.plain(lang, id);
    let reminders = if discreet {
        button(
            plain("privacy-discreet-off"),
            CallbackAction::Discreet(false),
        )
    } else {
        button(plain("privacy-discreet-on"), CallbackAction::Discreet(true))
    };
    InlineKeyboardMarkup::new([
        vec![button(plain("privacy-mydata"), CallbackAction::MyData)],
        vec![button(plain("privacy-forget"), CallbackAction::Forget)],
        vec![reminders],
        vec![button(plain("menu-back"), CallbackAction::Home)],
    ])
}

/// `/privacy`, or a question about one's data.
pub async fn show(bot: &Bot, ctx: &Ctx, services: &Services) -> HandlerResult {
    // Said even when the database does not answer: the choice then shows as off.
    let discreet = db::privacy::discreet(&services.pool, ctx.user_id)
        .await
        .unwrap_or_else(|error| {
            tracing::warn!(%error, "cannot read the reminders' choice");
            false
        });
    let keyboard = keyboard(services, ctx.lang, discreet);
    send::text(bot, ctx.chat, text(services, ctx.lang), Some(keyboard)).await?;
    Ok(())
}

/// Before the name and phone of a booking (`start` given) or of a waiting list: true when the
/// person has consented already; otherwise asks for consent once and returns false.
pub async fn consent_first(
    bot: &Bot,
    ctx: &Ctx,
    services: &Services,
    dialogue: &BotDialogue,
    service: &str,
    start: Option<i64>,
) -> anyhow::Result<bool> {
    if db::privacy::consented(&services.pool, ctx.user_id).await? {
        return Ok(true);
    }
    dialogue
        .update(State::Consenting {
            service: service.to_owned(),
            start,
        })
        .await?;
    let text = services.locales.text(
        ctx.lang,
        "consent-ask",
        &[("days", services.retention_days.into())],
    );
    send::text(
        bot,
        ctx.chat,
        text,
        Some(consent_buttons(services, ctx.lang)),
    )
    .await?;
    Ok(false)
}

/// "Zgadzam się" / "Nie", right under the question that asks.
fn consent_buttons(services: &Services, lang: Lang) -> InlineKeyboardMarkup {
    let locales = &services.locales;
    InlineKeyboardMarkup::new([vec![
        button(
            locales.plain(lang, "consent-yes"),
            CallbackAction::ConsentYes,
        ),
        button(locales.plain(lang, "consent-no"), CallbackAction::ConsentNo),
    ]])
}

/// The consent question again, short, with its buttons under it: after a reply that says neither
/// yes nor no, or after a side question was answered (the step waits).
pub async fn consent_again(bot: &Bot, ctx: &Ctx, services: &Services) -> HandlerResult {
    let text = services.locales.plain(ctx.lang, "consent-pick");
    send::text(
        bot,
        ctx.chat,
        text,
        Some(consent_buttons(services, ctx.lang)),
    )
    .await?;
    Ok(())
}

/// "Zgadzam się": recorded, and the step that asked goes on (the name of the booking or of the
/// waiting list); also right after a "Nie", when the person changes their mind.
pub async fn consent_yes(
    bot: &Bot,
    ctx: &Ctx,
    services: &Services,
    dialogue: &BotDialogue,
    state: &State,
) -> HandlerResult {
    let (State::Consenting { service, start } | State::ConsentDeclined { service, start }) = state
    else {
        return booking::stale(bot, ctx, services).await;
    };
    db::privacy::consent(&services.pool, ctx.user_id, services.clock.now()).await?;
    match start {
        Some(start) => {
            booking::book::pick_time(bot, ctx, services, dialogue, state, service, *start).await
        }
        None => booking::waitlist::wait_join(bot, ctx, services, dialogue, service).await,
    }
}

/// "Nie": nothing is stored; the centre's phone (or address) is another way to book. The choice
/// is remembered (no name, no phone) for one message, so that a change of mind can go on.
pub async fn consent_no(
    bot: &Bot,
    ctx: &Ctx,
    services: &Services,
    dialogue: &BotDialogue,
    state: &State,
) -> HandlerResult {
    let key = match state {
        State::Consenting { service, start } => {
            dialogue
                .update(State::ConsentDeclined {
                    service: service.clone(),
                    start: *start,
                })
                .await?;
            Some(service.as_str())
        }
        _ => {
            dialogue.update(State::Idle).await?;
            None
        }
    };
    let centre = key
        .and_then(|key| booking::service(services, key))
        .map(|svc| svc.centre)
        .or_else(|| services.directory.centres.first());
    let locales = &services.locales;
    let text = match centre {
        Some(centre) => match &centre.phone {
            Some(phone) => locales.text(
                ctx.lang,
                "consent-declined",
                &[
                    ("centre", centre.name.get(ctx.lang).to_owned().into()),
                    ("phone", phone.clone().into()),
                ],
            ),
            None => locales.text(
                ctx.lang,
                "consent-declined-visit",
                &[
                    ("centre", centre.name.get(ctx.lang).to_owned().into()),
                    ("address", centre.address.clone().into()),
                ],
            ),
        },
        None => locales.plain(ctx.lang, "consent-declined-plain"),
    };
    booking::say_with_menu(bot, ctx, services, text).await
}

/// The parts of [`db::privacy::export`]'s document that the summary in the chat tells.
#[derive(Debug, Deserialize)]
struct Stored {
    user: Option<StoredUser>,
    visits: Vec<StoredVisit>,
    waiting_lists: Vec<StoredWaiting>,
    subscriptions: Vec<StoredSubscription>,
}

#[derive(Debug, Deserialize)]
struct StoredUser {
    language: Option<String>,
    consent_at: Option<DateTime<Utc>>,
    discreet_reminders: bool,
}

#[derive(Debug, Deserialize)]
struct StoredVisit {
    service: String,
    slot_start: DateTime<Utc>,
    slot_end: DateTime<Utc>,
    name: String,
    phone: String,
    status: String,
}

#[derive(Debug, Deserialize)]
struct StoredWaiting {
    service: String,
    name: String,
    phone: String,
    status: String,
}

#[derive(Debug, Deserialize)]
struct StoredSubscription {
    topic: String,
}

/// `/mydata` in words: language, consent, the reminders' choice, each visit, waiting list and
/// subscription, with the name and phone as stored.
fn summary(services: &Services, lang: Lang, stored: &Stored) -> String {
    let words = Words::new(services, lang);
    let now = services.clock.now();
    let erased = || words.plain("mydata-erased");
    let name = |name: &str| {
        if name.is_empty() {
            erased()
        } else {
            name.to_owned()
        }
    };
    let phone = |phone: &str| {
        if phone.is_empty() {
            erased()
        } else {
            crate::booking::Phone::parse(phone).map_or_else(|| phone.to_owned(), |p| p.to_string())
        }
    };
    let mut lines = vec![words.plain("mydata-summary")];
    let user = stored.user.as_ref();
    let chosen = user
        .and_then(|u| u.language.as_deref())
        .and_then(Lang::from_code);
    let (id, language) = match chosen {
        Some(chosen) => ("mydata-language", chosen),
        None => ("mydata-language-none", lang),
    };
    let name_of = words.plain(&format!("language-{}", language.code()));
    lines.push(words.t(id, &[("language", name_of.into())]));
    lines.push(match user.and_then(|u| u.consent_at) {
        Some(at) => words.t(
            "mydata-consent",
            &[(
                "date",
                booking::local(at).format("%-d.%m.%Y").to_string().into(),
            )],
        ),
        None => words.plain("mydata-consent-none"),
    });
    lines.push(if user.is_some_and(|u| u.discreet_reminders) {
        words.plain("mydata-discreet-on")
    } else {
        words.plain("mydata-discreet-off")
    });
    for visit in &stored.visits {
        let id = match visit.status.as_str() {
            // A slot held from the waiting list and not taken is no visit either.
            "cancelled" | "expired" => "mydata-visit-cancelled",
            _ if visit.slot_start > now => "mydata-visit-upcoming",
            _ => "mydata-visit-past",
        };
        let when = words.when(
            booking::local(visit.slot_start),
            booking::local(visit.slot_end),
        );
        lines.push(words.t(
            id,
            &[
                ("service", words.service_name(&visit.service).into()),
                ("when", when.into()),
                ("name", name(&visit.name).into()),
                ("phone", phone(&visit.phone).into()),
            ],
        ));
    }
    for waiting in &stored.waiting_lists {
        let id = if matches!(waiting.status.as_str(), "waiting" | "offered") {
            "mydata-waiting"
        } else {
            "mydata-waiting-left"
        };
        lines.push(words.t(
            id,
            &[
                ("service", words.service_name(&waiting.service).into()),
                ("name", name(&waiting.name).into()),
                ("phone", phone(&waiting.phone).into()),
            ],
        ));
    }
    for subscription in &stored.subscriptions {
        let topic = services.directory.centre(&subscription.topic).map_or_else(
            || subscription.topic.clone(),
            |c| c.short.get(lang).to_owned(),
        );
        lines.push(words.t("mydata-subscription", &[("topic", topic.into())]));
    }
    if stored.visits.is_empty()
        && stored.waiting_lists.is_empty()
        && stored.subscriptions.is_empty()
    {
        lines.push(words.plain("mydata-nothing"));
    }
    lines.join("\n")
}

/// `/mydata`: everything stored about the person, told in the chat in a few lines, then as a
/// JSON file.
pub async fn my_data(bot: &Bot, ctx: &Ctx, services: &Services) -> HandlerResult {
    services.seen.flush_one(&services.pool, ctx.user_id).await?;
    let document = db::privacy::export(&services.pool, ctx.user_id).await?;
    let stored: Stored = serde_json::from_value(document.clone())?;
    let text = summary(services, ctx.lang, &stored);
    send::text(bot, ctx.chat, text, None).await?;
    let json = serde_json::to_string_pretty(&document)?;
    let locales = &services.locales;
    let file =
        InputFile::memory(json.into_bytes()).file_name(locales.plain(ctx.lang, "mydata-file"));
    let caption = locales.plain(ctx.lang, "mydata-caption");
    send::document(bot, ctx.chat, file, caption).await?;
    Ok(())
}

/// `/forget`: what will be erased, with a confirm button; when nothing is stored, said so (no
/// confirm step).
pub async fn forget_ask(
    bot: &Bot,
    ctx: &Ctx,
    services: &Services,
    dialogue: &BotDialogue,
) -> HandlerResult {
    if !db::privacy::holds_anything(&services.pool, ctx.user_id).await? {
        dialogue.update(State::Idle).await?;
        let text = services.locales.plain(ctx.lang, "forget-nothing");
        return booking::say_with_menu(bot, ctx, services, text).await;
    }
    dialogue.update(State::ConfirmingForget).await?;
    let locales = &services.locales;
    let keyboard = InlineKeyboardMarkup::new([vec![
        button(
            locales.plain(ctx.lang, "forget-yes"),
            CallbackAction::ForgetYes,
        ),
        button(locales.plain(ctx.lang, "forget-no"), CallbackAction::Home),
    ]]);
    let text = locales.plain(ctx.lang, "forget-ask");
    send::text(bot, ctx.chat, text, Some(keyboard)).await?;
    Ok(())
}

/// The erasure confirmed: done in one transaction, with a notice to the staff of each upcoming
/// visit cancelled (its number, service and time: no name, no phone); then said what was done.
/// The dialogue row goes in the same transaction, so the state in hand is not written back.
pub async fn forget_yes(bot: &Bot, ctx: &Ctx, services: &Services, state: &State) -> HandlerResult {
    if *state != State::ConfirmingForget {
        return booking::stale(bot, ctx, services).await;
    }
    let now = services.clock.now();
    let mut tx = services.pool.begin().await?;
    let forgotten = db::privacy::forget(&mut tx, ctx.user_id, now).await?;
    let staff = Words::new(services, Lang::Pl);
    let mut jobs = Vec::new();
    for visit in &forgotten.cancelled {
        let notice = staff.t(
            "staff-forget-cancelled",
            &[
                ("id", visit.id.into()),
                ("service", staff.service_name(&visit.service_key).into()),
                ("when", staff.booking_when(visit).into()),
            ],
        );
        jobs.extend(NewJob::to_staff_chats(&services.staff_chats, &notice));
    }
    outbox::enqueue(&mut tx, &jobs, now).await?;
    tx.commit().await?;
    tracing::info!(
        cancelled = forgotten.cancelled.len(),
        anonymised = forgotten.anonymised,
        "a person's data erased at their request"
    );
    services.waitlist.notify_one();
    let words = Words::new(services, ctx.lang);
    let text = words.t(
        "forget-done",
        &[
            ("cancelled", forgotten.cancelled.len().into()),
            ("anonymised", forgotten.anonymised.into()),
            ("waiting", forgotten.waiting.into()),
            ("subscriptions", forgotten.subscriptions.into()),
        ],
    );
    booking::say_with_menu(bot, ctx, services, text).await
}

/// The discreet-reminders choice, from `/privacy` or under a reminder.
pub async fn set_discreet(bot: &Bot, ctx: &Ctx, services: &Services, on: bool) -> HandlerResult {
    db::privacy::set_discreet(&services.pool, ctx.user_id, on, services.clock.now()).await?;
    let id = if on {
        "privacy-discreet-set"
    } else {
        "privacy-discreet-unset"
    };
    let text = services.locales.plain(ctx.lang, id);
    send::text(bot, ctx.chat, text, Some(keyboard(services, ctx.lang, on))).await?;
    Ok(())
}

/// How often the retention job runs.
const RETENTION_EVERY: Duration = Duration::from_secs(3600);

/// The retention worker: once at start and then every hour, erases the names and phones older
/// than the retention period (see [`db::privacy::erase_older_than`]).
pub fn spawn(services: Services) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(RETENTION_EVERY);
        loop {
            tick.tick().await;
            let now = services.clock.now();
            let cutoff = now - chrono::Duration::days(i64::from(services.retention_days));
            match db::privacy::erase_older_than(&services.pool, cutoff, now).await {
                Ok(erased) if erased == db::privacy::Erased::default() => {}
                Ok(erased) => tracing::info!(
                    visits = erased.visits,
                    waiting = erased.waiting,
                    messages = erased.messages,
                    "personal data past the retention period erased"
                ),
                Err(error) => tracing::warn!(%error, "cannot erase personal data past retention"),
            }
        }
    })
}
