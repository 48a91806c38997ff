//! The waiting list of a fully booked service: joining it (name, then phone), and taking or
//! declining the slot offered when one frees. The list is only for a service with no free slot
//! and a person without a visit there (as many as the service allows): an old or forged "put me
//! on the list" shows the free days, or the person's visit, instead.

use teloxide::{prelude::*, types::InlineKeyboardMarkup};

use super::{
    abort_button, ask_phone,
    book::{choose_day, confirmed, over_the_limit, show_existing},
    free_slots, given_phone,
    jobs::{booked, settle},
    question_instead_of_phone, say, say_with_menu, service, stale, take_name, thank_for_phone,
    Intent, Service, Words,
};
use crate::{
    booking::Name,
    bot::{
        context::Ctx,
        keyboards,
        state::{BotDialogue, State},
        HandlerResult, Services,
    },
    db::booking::{self as store, NewWaiting, Refusal},
};

/// Whether the person may not join the service's list, and was told why (their visit, or the free
/// days): the list is for a full service and a person below its limit.
async fn refused_the_list(
    bot: &Bot,
    ctx: &Ctx,
    services: &Services,
    dialogue: &BotDialogue,
    svc: &Service<'_>,
) -> anyhow::Result<bool> {
    if let Some(existing) = over_the_limit(services, ctx, svc, Intent::New).await? {
        dialogue.update(State::Idle).await?;
        show_existing(bot, ctx, services, &existing).await?;
        return Ok(true);
    }
    if free_slots(services, svc, services.clock.now())
        .await?
        .is_empty()
    {
        return Ok(false);
    }
    dialogue.update(State::Idle).await?;
    let words = Words::new(services, ctx.lang);
    let text = words.t(
        "limits-wait-free",
        &[("service", svc.place.short.get(ctx.lang).into())],
    );
    say(bot, ctx, text, InlineKeyboardMarkup::default()).await?;
    choose_day(bot, ctx, services, &svc.place.key, Intent::New).await?;
    Ok(true)
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
    if refused_the_list(bot, ctx, services, dialogue, &svc).await? {
        return Ok(());
    }
    // Consent first, once: the list stores a name and phone too.
    if !crate::bot::privacy::consent_first(bot, ctx, services, dialogue, key, None).await? {
        return Ok(());
    }
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

/// "I'll take it": the held slot becomes the person's visit, unless they hold as many visits of
/// the service as allowed by now; then they see their visit, and the slot passes on.
pub async fn offer_take(bot: &Bot, ctx: &Ctx, services: &Services, id: i64) -> HandlerResult {
    let words = Words::new(services, ctx.lang);
    let now = services.clock.now();
    let mut tx = services.pool.begin().await?;
    // A service gone from the directory keeps the usual limit of one.
    let per_person = |key: &str| service(services, key).map_or(1, |s| s.rules.per_person);
    let outcome = store::accept_offer(&mut tx, id, ctx.user_id, per_person, now).await?;
    match settle(tx, outcome, |b| booked(services, b, now), now).await? {
        Ok(booking) => {
            crate::ops::metrics::booking(
                &booking.service_key,
                crate::ops::metrics::BookingEvent::Made,
            );
            let Some(svc) = service(services, &booking.service_key) else {
                return stale(bot, ctx, services).await;
            };
            confirmed(bot, ctx, services, &svc, &booking, "book-confirmed").await
        }
        Err(Refusal::LimitReached(existing)) => {
            let mut tx = services.pool.begin().await?;
            let released = store::decline_offer(&mut tx, id, ctx.user_id).await?;
            // Released now, or gone already (expired meanwhile): either way it is not theirs.
            let _ = settle(tx, released, |_| Vec::new(), now).await?;
            services.waitlist.notify_one();
            show_existing(bot, ctx, services, &existing).await
        }
        Err(_) => say_with_menu(bot, ctx, services, words.plain("offer-gone")).await,
    }
}

pub async fn offer_decline(bot: &Bot, ctx: &Ctx, services: &Services, id: i64) -> HandlerResult {
    let words = Words::new(services, ctx.lang);
    let mut tx = services.pool.begin().await?;
    let outcome = store::decline_offer(&mut tx, id, ctx.user_id).await?;
    match settle(tx, outcome, |_| Vec::new(), services.clock.now()).await? {
        Ok(_) => {
            services.waitlist.notify_one();
            say_with_menu(bot, ctx, services, words.plain("offer-declined")).await
        }
        Err(_) => say_with_menu(bot, ctx, services, words.plain("offer-gone")).await,
    }
}

/// The name, to join the waiting list.
pub async fn on_name(
    bot: Bot,
    message: Message,
    ctx: Ctx,
    services: Services,
    dialogue: BotDialogue,
    key: String,
) -> HandlerResult {
    let Some(name) = take_name(&bot, &ctx, &services, &message, &key, None).await? else {
        return Ok(());
    };
    let next = State::WaitingPhone { service: key, name };
    dialogue.update(next).await?;
    ask_phone(&bot, &ctx, &services, "book-ask-phone").await
}

/// The phone number: the person joins the list (once), and the worker looks for a free slot.
pub async fn on_phone(
    bot: Bot,
    message: Message,
    ctx: Ctx,
    services: Services,
    dialogue: BotDialogue,
    (key, name): (String, Name),
) -> HandlerResult {
    if question_instead_of_phone(&bot, &ctx, &services, &key, &message).await? {
        return Ok(());
    }
    let phone = match given_phone(&message) {
        Ok(phone) => phone,
        Err(refused) => return ask_phone(&bot, &ctx, &services, refused.message_id()).await,
    };
    dialogue.update(State::Idle).await?;
    let Some(svc) = service(&services, &key) else {
        return stale(&bot, &ctx, &services).await;
    };
    thank_for_phone(&bot, &ctx, &services).await?;
    // A slot freed, or a visit was booked, while the name and number were asked for.
    if refused_the_list(&bot, &ctx, &services, &dialogue, &svc).await? {
        return Ok(());
    }
    let new = NewWaiting {
        service_key: &key,
        telegram_id: ctx.user_id,
        chat_id: ctx.chat.0,
        name: &name,
        phone: &phone,
        lang: ctx.lang,
    };
    let joined = store::join_waiting(
        &services.pool,
        &new,
        svc.rules.per_person,
        services.clock.now(),
    )
    .await?;
    let id = match joined {
        Ok(true) => "limits-wait-joined",
        Ok(false) => "wait-already",
        Err(Refusal::LimitReached(existing)) => {
            return show_existing(&bot, &ctx, &services, &existing).await;
        }
        Err(_) => return stale(&bot, &ctx, &services).await,
    };
    let words = Words::new(&services, ctx.lang);
    let text = words.t(
        id,
        &[
            ("service", svc.place.short.get(ctx.lang).into()),
            ("minutes", services.offer_minutes.into()),
        ],
    );
    say(
        &bot,
        &ctx,
        text,
        keyboards::back(&services.locales, ctx.lang),
    )
    .await?;
    services.waitlist.notify_one();
    Ok(())
}

/// Leaves a waiting list (from "My visits").
pub async fn leave(bot: &Bot, ctx: &Ctx, services: &Services, id: i64) -> HandlerResult {
    let words = Words::new(services, ctx.lang);
    match store::leave_waiting(&services.pool, id, ctx.user_id).await? {
        Some(key) => {
            let text = words.t("wait-left", &[("service", words.service_name(&key).into())]);
            say_with_menu(bot, ctx, services, text).await
        }
        None => stale(bot, ctx, services).await,
    }
}
