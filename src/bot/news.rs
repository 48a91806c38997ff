//! News: a resident subscribes to a centre's or a place's announcements from its card (the
//! places whose directory entry says `news = true`) and leaves with one tap, from any
//! announcement or from the card. Staff post with `/announce <topic> <text>`: they see how many
//! it goes to and confirm; it goes out through the outbox at `OKIENKO_NEWS_RATE`, and the staff
//! member is told how many were delivered, blocked and failed when the last one is done.

use teloxide::{
    prelude::*,
    types::{InlineKeyboardButton, InlineKeyboardMarkup},
};

use super::{
    booking::Words,
    callback::CallbackAction,
    context::Ctx,
    keyboards, send,
    state::{BotDialogue, State},
    HandlerResult, Services,
};
use crate::{
    config::StaffId,
    db::{
        news::{self as store, Post},
        staff::{self as audit, Action},
    },
    i18n::Lang,
};

/// The longest announcement (Telegram's message limit, less the frame around it).
const MAX_TEXT: usize = 3500;

/// The topics people may subscribe to: the keys of the centres and places that have news.
pub fn topics(services: &Services) -> Vec<String> {
    let directory = &services.directory;
    directory
        .centres
        .iter()
        .filter(|c| c.news)
        .map(|c| c.key.clone())
        .chain(
            directory
                .places
                .iter()
                .filter(|p| p.news)
                .map(|p| p.key.clone()),
        )
        .collect()
}

/// The topics a member of staff may post to: every one, or their centre's.
fn topics_of(services: &Services, member: &StaffId) -> Vec<String> {
    topics(services)
        .into_iter()
        .filter(|topic| {
            let centre = services
                .directory
                .place(topic)
                .map(|p| p.centre.as_str())
                .unwrap_or(topic);
            member.centre.as_deref().is_none_or(|c| c == centre)
        })
        .collect()
}

/// About how long `count` announcements take at the configured pace (at least a second).
fn seconds_for(services: &Services, count: i64) -> i64 {
    let rate = i64::from(services.news_rate.max(1));
    ((count + rate - 1) / rate).max(1)
}

/// The name people know a topic by.
pub fn topic_name(services: &Services, topic: &str, lang: Lang) -> String {
    let directory = &services.directory;
    directory
        .place(topic)
        .map(|p| p.name.get(lang).to_owned())
        .or_else(|| directory.centre(topic).map(|c| c.name.get(lang).to_owned()))
        .unwrap_or_else(|| topic.to_owned())
}

/// The button under a card whose place has news.
pub fn join_button(services: &Services, lang: Lang, topic: &str) -> InlineKeyboardButton {
    InlineKeyboardButton::callback(
        services.locales.plain(lang, "news-join"),
        CallbackAction::NewsJoin(topic.to_owned()).encode(),
    )
}

fn leave_button(services: &Services, lang: Lang, topic: &str) -> InlineKeyboardButton {
    InlineKeyboardButton::callback(
        services.locales.plain(lang, "news-leave"),
        CallbackAction::NewsLeave(topic.to_owned()).encode(),
    )
}

/// "Send me its news" pressed: subscribed (or already), with the way out.
pub async fn join(bot: &Bot, ctx: &Ctx, services: &Services, topic: &str) -> HandlerResult {
    if !topics(services).iter().any(|t| t == topic) {
        let text = services.locales.plain(ctx.lang, "button-stale");
        let menu = keyboards::main_menu(&services.locales, ctx.lang);
        send::text(bot, ctx.chat, text, Some(menu)).await?;
        return Ok(());
    }
    let now = services.clock.now();
    let new = store::subscribe(
        &services.pool,
        topic,
        ctx.user_id,
        ctx.chat.0,
        ctx.lang,
        now,
    )
    .await?;
    let words = Words::new(services, ctx.lang);
    let id = if new { "news-joined" } else { "news-already" };
    let text = words.t(
        id,
        &[("topic", topic_name(services, topic, ctx.lang).into())],
    );
    let keyboard = InlineKeyboardMarkup::new([
        vec![leave_button(services, ctx.lang, topic)],
        vec![keyboards::back_to_menu(&services.locales, ctx.lang)],
    ]);
    send::text(bot, ctx.chat, text, Some(keyboard)).await?;
    Ok(())
}

/// "No more of these" pressed: left (or was not subscribed), with the way back.
pub async fn leave(bot: &Bot, ctx: &Ctx, services: &Services, topic: &str) -> HandlerResult {
    store::unsubscribe(&services.pool, topic, ctx.user_id).await?;
    let words = Words::new(services, ctx.lang);
    let text = words.t(
        "news-left",
        &[("topic", topic_name(services, topic, ctx.lang).into())],
    );
    let mut rows = Vec::new();
    if topics(services).iter().any(|t| t == topic) {
        rows.push(vec![join_button(services, ctx.lang, topic)]);
    }
    rows.push(vec![keyboards::back_to_menu(&services.locales, ctx.lang)]);
    send::text(bot, ctx.chat, text, Some(InlineKeyboardMarkup::new(rows))).await?;
    Ok(())
}

/// `/announce <topic> <text>`: how many it would go to, with a button to send it; without both,
/// how to write it and the topics with their subscribers.
pub async fn announce_asked(
    bot: &Bot,
    ctx: &Ctx,
    services: &Services,
    dialogue: &BotDialogue,
    member: &StaffId,
    args: &str,
) -> HandlerResult {
    let words = Words::new(services, ctx.lang);
    let allowed = topics_of(services, member);
    let args = args.trim();
    let (topic, text) = args
        .split_once(char::is_whitespace)
        .map(|(topic, text)| (topic.to_lowercase(), text.trim().to_owned()))
        .unwrap_or_else(|| (args.to_lowercase(), String::new()));
    // A topic named in words ("seniorzy", "cas") as well as by its key.
    let topic = if allowed.contains(&topic) {
        topic
    } else {
        match services.understanding.understand(&topic).topic {
            Some(
                crate::understanding::Topic::Place(key) | crate::understanding::Topic::Centre(key),
            ) if allowed.contains(&key) => key,
            _ => topic,
        }
    };
    if !allowed.contains(&topic) || text.is_empty() || text.chars().count() > MAX_TEXT {
        let counts = store::counts(&services.pool, &allowed).await?;
        let lines: Vec<String> = allowed
            .iter()
            .map(|topic| {
                let count = counts
                    .iter()
                    .find(|(t, _)| t == topic)
                    .map(|(_, n)| *n)
                    .unwrap_or(0);
                format!(
                    "• {topic}: {} ({count})",
                    topic_name(services, topic, ctx.lang)
                )
            })
            .collect();
        let id = if text.chars().count() > MAX_TEXT {
            "news-too-long"
        } else {
            "news-help"
        };
        let text = words.t(
            id,
            &[
                ("topics", lines.join("\n").into()),
                ("max", MAX_TEXT.into()),
            ],
        );
        send::text(bot, ctx.chat, text, None).await?;
        return Ok(());
    }
    let count = store::counts(&services.pool, std::slice::from_ref(&topic))
        .await?
        .first()
        .map(|(_, n)| *n)
        .unwrap_or(0);
    let seconds = seconds_for(services, count);
    let preview = words.t(
        "news-ask",
        &[
            ("topic", topic_name(services, &topic, ctx.lang).into()),
            ("count", count.into()),
            ("seconds", seconds.into()),
            ("text", text.clone().into()),
        ],
    );
    dialogue
        .update(State::StaffAnnouncing {
            topic: topic.clone(),
            text,
        })
        .await?;
    let keyboard = InlineKeyboardMarkup::new([vec![
        InlineKeyboardButton::callback(
            words.plain("news-send"),
            CallbackAction::StaffNewsConfirm.encode(),
        ),
        InlineKeyboardButton::callback(
            words.plain("staff-close-no"),
            CallbackAction::StaffHome.encode(),
        ),
    ]]);
    send::text(bot, ctx.chat, preview, Some(keyboard)).await?;
    Ok(())
}

/// The announcement confirmed: written with one outbox job per subscriber, paced, in one
/// transaction with the audit entry.
pub async fn announce_confirmed(
    bot: &Bot,
    ctx: &Ctx,
    services: &Services,
    dialogue: &BotDialogue,
    state: &State,
) -> HandlerResult {
    let member = super::staff::member(services, ctx.user_id).cloned();
    let (Some(member), State::StaffAnnouncing { topic, text }) = (member, state) else {
        let text = services.locales.plain(ctx.lang, "button-stale");
        send::text(bot, ctx.chat, text, None).await?;
        return Ok(());
    };
    if !topics_of(services, &member).contains(topic) {
        let text = services.locales.plain(ctx.lang, "button-stale");
        send::text(bot, ctx.chat, text, None).await?;
        return Ok(());
    }
    let now = services.clock.now();
    let post = Post {
        topic,
        text,
        staff_id: member.user,
        staff_chat: ctx.chat.0,
        staff_lang: ctx.lang,
        rate: services.news_rate,
    };
    let mut tx = services.pool.begin().await?;
    let (id, count) = store::post(&mut tx, &post, now).await?;
    let detail = format!("{topic}: {count} recipients (announcement {id})");
    let action = Action {
        staff_id: member.user,
        action: "announce",
        booking_id: None,
        detail: &detail,
    };
    audit::record(&mut tx, &action, now).await?;
    tx.commit().await?;
    dialogue.update(State::Idle).await?;
    let words = Words::new(services, ctx.lang);
    let id = if count == 0 {
        "news-nobody"
    } else {
        "news-sending"
    };
    let text = words.t(
        id,
        &[
            ("count", count.into()),
            ("seconds", seconds_for(services, count).into()),
        ],
    );
    send::text(bot, ctx.chat, text, None).await?;
    Ok(())
}
