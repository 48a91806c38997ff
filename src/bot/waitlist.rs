//! The waiting list's worker: when a slot of a fully booked service frees (a cancellation, a move,
//! a new day entering the horizon), the first person waiting is offered it and has a limited time
//! to take it; an offer not taken in time passes to the next person.

use std::{sync::Arc, time::Duration};

use chrono::Utc;
use teloxide::{
    prelude::*,
    types::{InlineKeyboardButton, InlineKeyboardMarkup},
};

use super::{
    booking::{free_slots, service, Words},
    callback::CallbackAction,
    send, Services,
};
use crate::{clock::TIME_ZONE, db::booking as store};

/// One round: expire offers not taken, then offer free slots to the people waiting.
pub async fn tick(bot: &Bot, services: &Services) -> anyhow::Result<()> {
    let now = services.clock.now();
    for expired in store::expire_offers(&services.pool, now).await? {
        let words = Words {
            services,
            lang: expired.lang(),
        };
        let name = service(services, &expired.service_key)
            .map(|s| s.place.short.get(words.lang).to_owned())
            .unwrap_or_default();
        let text = services.locales.text(
            words.lang,
            "offer-expired",
            &[
                ("service", name.into()),
                ("when", words.booking_when(&expired).into()),
            ],
        );
        if let Err(error) = send::text(bot, ChatId(expired.chat_id), text, None).await {
            tracing::warn!(chat_id = expired.chat_id, %error, "cannot tell that an offer expired");
        }
    }
    for key in store::services_with_waiting(&services.pool).await? {
        let Some(svc) = service(services, &key) else {
            continue;
        };
        for slot in free_slots(services, &svc, now).await? {
            let held_until = now + chrono::Duration::minutes(i64::from(services.offer_minutes));
            let span = (slot.start.with_timezone(&Utc), slot.end.with_timezone(&Utc));
            let Some(held) = store::offer_to_next(
                &services.pool,
                &key,
                span,
                svc.rules.capacity,
                held_until,
                now,
            )
            .await?
            else {
                break;
            };
            let words = Words {
                services,
                lang: held.lang(),
            };
            let text = services.locales.text(
                words.lang,
                "offer",
                &[
                    ("service", svc.place.name.get(words.lang).into()),
                    ("when", words.booking_when(&held).into()),
                    (
                        "until",
                        held_until
                            .with_timezone(&TIME_ZONE)
                            .format("%-H:%M")
                            .to_string()
                            .into(),
                    ),
                ],
            );
            let keyboard = InlineKeyboardMarkup::new([[
                InlineKeyboardButton::callback(
                    words.plain("offer-take"),
                    CallbackAction::OfferTake(held.id).encode(),
                ),
                InlineKeyboardButton::callback(
                    words.plain("offer-decline"),
                    CallbackAction::OfferDecline(held.id).encode(),
                ),
            ]]);
            if let Err(error) = send::text(bot, ChatId(held.chat_id), text, Some(keyboard)).await {
                tracing::warn!(chat_id = held.chat_id, %error, "cannot send a waiting-list offer");
            }
        }
    }
    Ok(())
}

/// Runs [`tick`] every `every`, and at once when nudged.
pub fn spawn(bot: Bot, services: Services, every: Duration) -> tokio::task::JoinHandle<()> {
    let nudge: Arc<tokio::sync::Notify> = services.waitlist.clone();
    tokio::spawn(async move {
        loop {
            if let Err(error) = tick(&bot, &services).await {
                tracing::warn!(
                    error = format!("{error:#}"),
                    "the waiting list could not be served"
                );
            }
            tokio::select! {
                _ = tokio::time::sleep(every) => {}
                _ = nudge.notified() => {}
            }
        }
    })
}
