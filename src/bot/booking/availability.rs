//! Which slots of a bookable service are free: the slots cut from its hours (closures included)
//! less the seats taken in the database (a seat is taken for a slot when any of its visits
//! overlaps it, so a visit booked under another slot length still counts). The booking flows, the
//! waiting list's worker and the outbox all ask here.

use chrono::{DateTime, Utc};

use super::{local, Service};
use crate::{booking::Slot, bot::Services, db::booking as store};

/// The service's slots that still have a free seat, from now on: a seat whose visits (booked or
/// held, under whatever slot length the directory had then) overlap no moment of the slot.
pub async fn free_slots(
    services: &Services,
    svc: &Service<'_>,
    now: DateTime<Utc>,
) -> anyhow::Result<Vec<Slot>> {
    let exceptions = services.exceptions.current(local(now).date_naive()).await;
    let table = services.directory.place_timetable(svc.place, &exceptions);
    let taken = store::TakenSeats::new(store::taken(&services.pool, &svc.place.key, now).await?);
    let seats = i16::try_from(svc.rules.capacity.max(1)).unwrap_or(i16::MAX);
    Ok(svc
        .rules
        .slots(&table, now)
        .into_iter()
        .filter(|slot| {
            let (start, end) = (slot.start.with_timezone(&Utc), slot.end.with_timezone(&Utc));
            (1..=seats).any(|seat| taken.free(seat, start, end))
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
