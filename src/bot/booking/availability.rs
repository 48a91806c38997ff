//! Which slots of a bookable service are free: the slots cut from its hours (closures included)
//! less the seats taken in the database (a seat is taken for a slot when any of its visits
//! overlaps it, so a visit booked under another slot length still counts). The booking flows, the
//! waiting list's worker and the outbox all ask here.

use std::{
    collections::HashMap,
    ops::Range,
    sync::{Arc, Mutex},
};

use chrono::{DateTime, NaiveDate, Utc};

use super::{local, Service};
use crate::{
    booking::Slot,
    bot::Services,
    db::booking::{self as store, TakenSeats},
    hours::Exception,
};

/// The slots of each bookable place from a day to the end of its horizon, cut once for that day
/// and those closures. Cutting them takes a time-zone lookup for each slot of the horizon, and a
/// day list, a time list and a confirmation each need them: in the load bench that was a fifth of
/// a booking step's CPU. A new day or a changed closure cuts them again.
#[derive(Default)]
pub struct SlotCache(Mutex<HashMap<String, Cut>>);

struct Cut {
    today: NaiveDate,
    exceptions: Arc<Vec<Exception>>,
    slots: Arc<[Slot]>,
}

impl SlotCache {
    fn slots(
        &self,
        services: &Services,
        svc: &Service<'_>,
        exceptions: Arc<Vec<Exception>>,
        today: NaiveDate,
    ) -> Arc<[Slot]> {
        let key = &svc.place.key;
        {
            let cuts = self.0.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(cut) = cuts.get(key) {
                if cut.today == today && cut.exceptions == exceptions {
                    return Arc::clone(&cut.slots);
                }
            }
        }
        let table = services.directory.place_timetable(svc.place, &exceptions);
        let mut slots = svc.rules.slots_from(&table, today);
        // In order of their start, so that a day's or a slot's are found by binary search.
        slots.sort_by_key(|slot| slot.start);
        let slots: Arc<[Slot]> = slots.into();
        let mut cuts = self.0.lock().unwrap_or_else(|e| e.into_inner());
        cuts.insert(
            key.clone(),
            Cut {
                today,
                exceptions,
                slots: Arc::clone(&slots),
            },
        );
        slots
    }
}

/// The slots of a service from now on (or of a part of them: a day, one slot), past its minimum
/// notice, that still have a free seat.
pub struct FreeSlots {
    all: Arc<[Slot]>,
    shown: Range<usize>,
    earliest: DateTime<Utc>,
    taken: TakenSeats,
    seats: i16,
}

impl FreeSlots {
    /// The free slots, in order (looked at as they are asked for: a day list needs them all, a
    /// confirmation only the one it names).
    pub fn iter(&self) -> impl Iterator<Item = Slot> + '_ {
        self.all[self.shown.clone()]
            .iter()
            .filter(|slot| self.free(slot))
            .copied()
    }

    pub fn is_empty(&self) -> bool {
        self.iter().next().is_none()
    }

    /// Whether `slot` is past the minimum notice and has a seat free for all of it.
    fn free(&self, slot: &Slot) -> bool {
        if slot.start < self.earliest {
            return false;
        }
        let (start, end) = (slot.start.with_timezone(&Utc), slot.end.with_timezone(&Utc));
        (1..=self.seats).any(|seat| self.taken.free(seat, start, end))
    }
}

/// The service's slots that still have a free seat, from now on: a seat whose visits (booked or
/// held, under whatever slot length the directory had then) overlap no moment of the slot. Reads
/// every seat taken ahead; [`free_slots_on`] and [`free_slot`] read only the ones they need.
pub async fn free_slots(
    services: &Services,
    svc: &Service<'_>,
    now: DateTime<Utc>,
) -> anyhow::Result<FreeSlots> {
    load(services, svc, now, |all| 0..all.len()).await
}

/// The free slots of one day (a time list): the seats taken that day are read, not the horizon's.
pub async fn free_slots_on(
    services: &Services,
    svc: &Service<'_>,
    now: DateTime<Utc>,
    day: NaiveDate,
) -> anyhow::Result<FreeSlots> {
    load(services, svc, now, |all| {
        all.partition_point(|slot| slot.start.date_naive() < day)
            ..all.partition_point(|slot| slot.start.date_naive() <= day)
    })
    .await
}

/// The slot that starts at `start` (seconds since the epoch), if the service has one then and it
/// is free: only the seats taken in that slot's time are read.
pub async fn free_slot(
    services: &Services,
    svc: &Service<'_>,
    now: DateTime<Utc>,
    start: i64,
) -> anyhow::Result<Option<Slot>> {
    let free = load(services, svc, now, |all| starting(all, start)).await?;
    let slot = free.iter().next();
    Ok(slot)
}

/// Where the slots that start at `start` (seconds since the epoch) are among `all` (in order):
/// one, or none.
fn starting(all: &[Slot], start: i64) -> Range<usize> {
    all.partition_point(|slot| slot.start.timestamp() < start)
        ..all.partition_point(|slot| slot.start.timestamp() <= start)
}

/// The slots of the service from today to the end of its horizon, as cut for today's closures.
async fn cut(services: &Services, svc: &Service<'_>, now: DateTime<Utc>) -> Arc<[Slot]> {
    let today = local(now).date_naive();
    let exceptions = services.exceptions.current(today).await;
    services.slots.slots(services, svc, exceptions, today)
}

/// The free slots among those `shown` picks of the service's slots (a range of them in order),
/// with the seats taken in their time read from the database.
async fn load(
    services: &Services,
    svc: &Service<'_>,
    now: DateTime<Utc>,
    shown: impl FnOnce(&[Slot]) -> Range<usize>,
) -> anyhow::Result<FreeSlots> {
    let all = cut(services, svc, now).await;
    let shown = shown(&all);
    let taken = match all.get(shown.clone()) {
        Some(slots @ [first, ..]) => {
            let from = first.start.with_timezone(&Utc).max(now);
            let until = slots.iter().map(|slot| slot.end).max().unwrap_or(first.end);
            let until = until.with_timezone(&Utc);
            TakenSeats::new(store::taken(&services.pool, &svc.place.key, from, until).await?)
        }
        _ => TakenSeats::default(),
    };
    Ok(FreeSlots {
        all,
        shown,
        earliest: svc.rules.earliest(now),
        taken,
        seats: i16::try_from(svc.rules.capacity.max(1)).unwrap_or(i16::MAX),
    })
}

/// The slot of the service that starts at `start`, if the service really has one then (free or not).
pub(super) async fn real_slot(
    services: &Services,
    svc: &Service<'_>,
    start: i64,
    now: DateTime<Utc>,
) -> Option<Slot> {
    let all = cut(services, svc, now).await;
    all[starting(&all, start)]
        .first()
        .filter(|slot| slot.start >= svc.rules.earliest(now))
        .copied()
}
