//! The waiting list's worker: when a slot of a fully booked service frees (a cancellation, a move,
//! a new day entering the horizon), the first person waiting is offered it and has a limited time
//! to take it; an offer not taken in time passes to the next person, and its person keeps their
//! place for the next slot. Nobody is offered a slot at night, nor one of a service where they hold
//! as many visits as allowed. The offers and their expiry notices are outbox jobs, written with the
//! change.

use std::time::Duration;

use chrono::Utc;

use super::{
    booking::{free_slots, service},
    Services,
};
use crate::{booking::reminders, db::booking as store};

/// One round: expire offers not taken, then hold free slots for the people waiting. An offer
/// found at night goes out at 8:00; the minutes it is held count in the day only, and a slot that
/// starts before the offer would end is not offered.
pub async fn tick(services: &Services) -> anyhow::Result<()> {
    let now = services.clock.now();
    store::expire_offers(&services.pool, now).await?;
    let send_at = reminders::daytime(now);
    let times = store::OfferTimes {
        send_at,
        held_until: reminders::daytime_minutes_after(send_at, services.offer_minutes),
    };
    for key in store::services_with_waiting(&services.pool).await? {
        let Some(svc) = service(services, &key) else {
            continue;
        };
        for slot in free_slots(services, &svc, now).await?.iter() {
            let span = (slot.start.with_timezone(&Utc), slot.end.with_timezone(&Utc));
            if span.0 <= times.held_until {
                continue;
            }
            let offer = store::ToOffer {
                service_key: &key,
                slot: span,
                capacity: svc.rules.capacity,
                per_person: svc.rules.per_person,
            };
            match store::offer_to_next(&services.pool, &offer, times, now).await? {
                store::Offered::Held(_) | store::Offered::NotThisSlot => {}
                store::Offered::Nobody => break,
            }
        }
    }
    Ok(())
}

/// Runs [`tick`] every `every`, and at once when nudged.
pub fn spawn(services: Services, every: Duration) -> tokio::task::JoinHandle<()> {
    let nudge = services.waitlist.clone();
    tokio::spawn(async move {
        loop {
            if let Err(error) = tick(&services).await {
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
