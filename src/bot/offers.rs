//! The waiting list's worker: when a slot of a fully booked service frees (a cancellation, a move,
//! a new day entering the horizon), the first person waiting is offered it and has a limited time
//! to take it; an offer not taken in time passes to the next person. The offers and their expiry
//! notices are outbox jobs, written with the change.

use std::time::Duration;

use chrono::Utc;

use super::{
    booking::{free_slots, service},
    Services,
};
use crate::db::booking as store;

/// One round: expire offers not taken, then hold free slots for the people waiting.
pub async fn tick(services: &Services) -> anyhow::Result<()> {
    let now = services.clock.now();
    store::expire_offers(&services.pool, now).await?;
    for key in store::services_with_waiting(&services.pool).await? {
        let Some(svc) = service(services, &key) else {
            continue;
        };
        for slot in free_slots(services, &svc, now).await? {
            let held_until = now + chrono::Duration::minutes(i64::from(services.offer_minutes));
            let span = (slot.start.with_timezone(&Utc), slot.end.with_timezone(&Utc));
            let offered = store::offer_to_next(
                &services.pool,
                &key,
                span,
                svc.rules.capacity,
                held_until,
                now,
            )
            .await?;
            if offered.is_none() {
                break;
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
