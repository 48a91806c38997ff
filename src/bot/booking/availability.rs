//! Which slots of a bookable service are free: the slots cut from its hours (closures included)
//! less the seats taken in the database. The booking flows, the waiting list's worker and the
//! outbox all ask here.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::{local, Service};
use crate::{booking::Slot, bot::Services, db::booking as store};

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
pub(super) async fn real_slot(
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
