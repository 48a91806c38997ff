//! The `booking` and `waiting` tables. Every change that must not race runs in one transaction, and
//! the database's constraints, not checks in Rust, keep a seat from being booked twice.
//!
//! The person's changes (book, move, cancel, take or decline an offer) run in the caller's
//! transaction, so that the caller writes the jobs the change causes (reminders, staff notices)
//! in it before it commits. A refusal (the slot is taken, the limit is reached, no such visit) is
//! a value, `Ok(Err(Refusal))`; an `Err` means only that the database failed.

use chrono::{DateTime, Utc};
use sqlx::{PgPool, Postgres, Transaction};

use super::outbox::{self, NewJob};
use crate::{
    booking::{Name, Phone},
    i18n::Lang,
};

/// The transaction a change runs in, owned by the caller.
pub type Tx<'c> = Transaction<'c, Postgres>;

/// Where a booking stands: a seat is taken while it is active or held.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Active,
    /// Held for someone on the waiting list until `held_until`.
    Held,
    Cancelled,
    /// An offer not taken (or declined).
    Expired,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Active => "active",
            Status::Held => "held",
            Status::Cancelled => "cancelled",
            Status::Expired => "expired",
        }
    }
}

/// A stored status the code does not know.
#[derive(Debug, thiserror::Error)]
#[error("unknown booking status {0:?}")]
pub struct UnknownStatus(String);

impl TryFrom<String> for Status {
    type Error = UnknownStatus;

    fn try_from(text: String) -> Result<Self, UnknownStatus> {
        match text.as_str() {
            "active" => Ok(Status::Active),
            "held" => Ok(Status::Held),
            "cancelled" => Ok(Status::Cancelled),
            "expired" => Ok(Status::Expired),
            _ => Err(UnknownStatus(text)),
        }
    }
}

/// A booking as the bot shows it. Every field reads back as its type: a stored value that does
/// not (an unknown language or status, a name or phone that no longer parses) is an error, never
/// a silent default.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct Booking {
    pub id: i64,
    pub service_key: String,
    pub slot_start: DateTime<Utc>,
    pub slot_end: DateTime<Utc>,
    pub telegram_id: i64,
    pub chat_id: i64,
    #[sqlx(try_from = "String")]
    pub name: Name,
    #[sqlx(try_from = "String")]
    pub phone: Phone,
    #[sqlx(try_from = "String")]
    pub language: Lang,
    #[sqlx(try_from = "String")]
    pub status: Status,
    pub held_until: Option<DateTime<Utc>>,
    pub waiting_id: Option<i64>,
    pub calendar_uid: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl Booking {
    /// The UID of its calendar entry, stable across moves.
    pub fn calendar_uid(&self) -> String {
        self.calendar_uid
            .clone()
            .unwrap_or_else(|| crate::booking::ics::uid(self.id))
    }

    /// Booked by the staff for someone who phoned: no Telegram chat (its person is the negated
    /// phone number, Telegram ids being positive).
    pub fn by_phone(&self) -> bool {
        self.telegram_id < 0
    }
}

pub(crate) const COLUMNS: &str =
    "id, service_key, slot_start, slot_end, telegram_id, chat_id, name, phone, language, status, \
                       held_until, waiting_id, calendar_uid, created_at";

/// A booking to make.
pub struct NewBooking<'a> {
    pub service_key: &'a str,
    pub slot_start: DateTime<Utc>,
    pub slot_end: DateTime<Utc>,
    pub capacity: u32,
    pub per_person: u32,
    pub telegram_id: i64,
    pub chat_id: i64,
    pub name: &'a Name,
    pub phone: &'a Phone,
    pub lang: Lang,
}

/// Why the database refused a person's change; nothing was written.
#[derive(Debug, PartialEq, Eq)]
pub enum Refusal {
    /// Every seat of the slot is taken.
    SlotTaken,
    /// The person already holds as many upcoming bookings of the service as allowed.
    LimitReached(Box<Booking>),
    /// No such booking of this person, or it is past, cancelled, or no longer held for them.
    NotFound,
}

/// A change's outcome: done, or refused; the outer `sqlx::Result` is the database failing.
pub type Outcome<T> = Result<T, Refusal>;

/// A seat taken (booked or held) for a span of time.
#[derive(Clone, Copy, Debug, sqlx::FromRow)]
pub struct Taken {
    pub slot_start: DateTime<Utc>,
    pub slot_end: DateTime<Utc>,
    pub seat: i16,
}

/// The seats taken, arranged to answer "is this seat free for that span?" in two binary searches
/// rather than by looking at every one (a day list asks it for every slot of the horizon and
/// every seat: with many visits ahead, a scan of them all for each was most of a booking step's
/// time in the load bench).
#[derive(Debug, Default)]
pub struct TakenSeats {
    seats: std::collections::HashMap<i16, Spans>,
}

/// One seat's spans: their starts in order, and the latest end among the spans up to each.
#[derive(Debug, Default)]
struct Spans {
    starts: Vec<DateTime<Utc>>,
    latest_ends: Vec<DateTime<Utc>>,
}

impl TakenSeats {
    pub fn new(mut taken: Vec<Taken>) -> Self {
        taken.sort_by_key(|t| (t.seat, t.slot_start));
        let mut seats = std::collections::HashMap::new();
        for t in taken {
            let spans: &mut Spans = seats.entry(t.seat).or_default();
            let latest = spans
                .latest_ends
                .last()
                .map_or(t.slot_end, |end| (*end).max(t.slot_end));
            spans.starts.push(t.slot_start);
            spans.latest_ends.push(latest);
        }
        Self { seats }
    }

    /// Whether `seat` is free for every moment of `start..end`: no span that starts before `end`
    /// ends after `start`.
    pub fn free(&self, seat: i16, start: DateTime<Utc>, end: DateTime<Utc>) -> bool {
        let Some(spans) = self.seats.get(&seat) else {
            return true;
        };
        match spans.starts.partition_point(|s| *s < end) {
            0 => true,
            before => spans.latest_ends[before - 1] <= start,
        }
    }
}

/// The seats taken (booked or held) for some moment of `from..until`: a slot in that time is free
/// only where some seat overlaps none of them (visits booked under other slot lengths included).
pub async fn taken(
    pool: &PgPool,
    service_key: &str,
    from: DateTime<Utc>,
    until: DateTime<Utc>,
) -> sqlx::Result<Vec<Taken>> {
    sqlx::query_as(
        "select slot_start, slot_end, seat from booking
         where service_key = $1 and slot_end > $2 and slot_start < $3
           and status in ('active', 'held')",
    )
    .bind(service_key)
    .bind(from)
    .bind(until)
    .fetch_all(pool)
    .await
}

/// Serialises one person's booking changes, so a double tap cannot exceed the per-person limit.
async fn lock_person(tx: &mut Transaction<'_, Postgres>, telegram_id: i64) -> sqlx::Result<()> {
    sqlx::query("select pg_advisory_xact_lock($1)")
        .bind(telegram_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// How a taken seat is held: booked, or held for someone on the waiting list until a time.
enum Hold {
    Booked {
        calendar_uid: Option<String>,
    },
    Offered {
        held_until: DateTime<Utc>,
        waiting_id: i64,
    },
}

/// Takes the first free seat of the slot; `None` when the database refused every seat (the partial
/// unique index on active and held seats, and the exclusion constraint against a seat's visits
/// overlapping, are what refuse).
async fn take_seat(
    tx: &mut Transaction<'_, Postgres>,
    new: &NewBooking<'_>,
    hold: &Hold,
    now: DateTime<Utc>,
) -> sqlx::Result<Option<i64>> {
    let (status, calendar_uid, held_until, waiting_id) = match hold {
        Hold::Booked { calendar_uid } => (Status::Active, calendar_uid.as_deref(), None, None),
        Hold::Offered {
            held_until,
            waiting_id,
        } => (Status::Held, None, Some(*held_until), Some(*waiting_id)),
    };
    for seat in 1..=new.capacity.max(1) {
        let id: Option<i64> = sqlx::query_scalar(
            "insert into booking (service_key, slot_start, slot_end, seat, telegram_id, chat_id, name, phone,
                                  language, status, calendar_uid, held_until, waiting_id, created_at)
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
             on conflict do nothing
             returning id",
        )
        .bind(new.service_key)
        .bind(new.slot_start)
        .bind(new.slot_end)
        .bind(seat as i16)
        .bind(new.telegram_id)
        .bind(new.chat_id)
        .bind(new.name.as_str())
        .bind(new.phone.as_str())
        .bind(new.lang.code())
        .bind(status.as_str())
        .bind(calendar_uid)
        .bind(held_until)
        .bind(waiting_id)
        .bind(now)
        .fetch_optional(&mut **tx)
        .await?;
        if id.is_some() {
            return Ok(id);
        }
    }
    Ok(None)
}

async fn upcoming_of_service(
    tx: &mut Transaction<'_, Postgres>,
    telegram_id: i64,
    service_key: &str,
    now: DateTime<Utc>,
) -> sqlx::Result<Vec<Booking>> {
    sqlx::query_as(&format!(
        "select {COLUMNS} from booking
         where telegram_id = $1 and service_key = $2 and status = 'active' and slot_start > $3
         order by slot_start"
    ))
    .bind(telegram_id)
    .bind(service_key)
    .bind(now)
    .fetch_all(&mut **tx)
    .await
}

async fn by_id(tx: &mut Transaction<'_, Postgres>, id: i64) -> sqlx::Result<Booking> {
    sqlx::query_as(&format!("select {COLUMNS} from booking where id = $1"))
        .bind(id)
        .fetch_one(&mut **tx)
        .await
}

/// Locks the person and checks their limit: their first upcoming visit of the service when the
/// visits they hold there (less `except`, the one a change replaces) reach `per_person`. Every
/// change that gives a person a visit or a place on a list goes through here, in its transaction.
async fn within_limit(
    tx: &mut Tx<'_>,
    telegram_id: i64,
    service_key: &str,
    per_person: u32,
    except: Option<i64>,
    now: DateTime<Utc>,
) -> sqlx::Result<Outcome<usize>> {
    lock_person(tx, telegram_id).await?;
    let existing: Vec<Booking> = upcoming_of_service(tx, telegram_id, service_key, now)
        .await?
        .into_iter()
        .filter(|b| Some(b.id) != except)
        .collect();
    let held = existing.len();
    match existing.into_iter().next() {
        Some(first) if held >= per_person.max(1) as usize => {
            Ok(Err(Refusal::LimitReached(Box::new(first))))
        }
        _ => Ok(Ok(held)),
    }
}

/// Books a seat of the slot, within the person's limit. A person who reaches the limit leaves the
/// service's waiting list (it is for people without a visit there), and a slot held for them
/// from it is let go.
pub async fn book(
    tx: &mut Tx<'_>,
    new: &NewBooking<'_>,
    now: DateTime<Utc>,
) -> sqlx::Result<Outcome<Booking>> {
    let held = match within_limit(
        tx,
        new.telegram_id,
        new.service_key,
        new.per_person,
        None,
        now,
    )
    .await?
    {
        Ok(held) => held,
        Err(refusal) => return Ok(Err(refusal)),
    };
    let hold = Hold::Booked { calendar_uid: None };
    let Some(id) = take_seat(tx, new, &hold, now).await? else {
        return Ok(Err(Refusal::SlotTaken));
    };
    if held + 1 >= new.per_person.max(1) as usize {
        // A slot held for them from the list is let go (the worker offers it to the next).
        sqlx::query(
            "update booking set status = 'expired'
             where telegram_id = $1 and service_key = $2 and status = 'held'",
        )
        .bind(new.telegram_id)
        .bind(new.service_key)
        .execute(&mut **tx)
        .await?;
        sqlx::query(
            "update waiting set status = 'booked'
             where telegram_id = $1 and service_key = $2 and status in ('waiting', 'offered')",
        )
        .bind(new.telegram_id)
        .bind(new.service_key)
        .execute(&mut **tx)
        .await?;
    }
    Ok(Ok(by_id(tx, id).await?))
}

/// Moves the person's upcoming booking `id` to another slot: the new seat is taken first, and the
/// old one released only then, in the same transaction; its pending reminders are withdrawn.
/// Returns (old, new).
pub async fn move_to(
    tx: &mut Tx<'_>,
    id: i64,
    telegram_id: i64,
    slot: (DateTime<Utc>, DateTime<Utc>),
    (capacity, per_person): (u32, u32),
    now: DateTime<Utc>,
) -> sqlx::Result<Outcome<(Booking, Booking)>> {
    lock_person(tx, telegram_id).await?;
    let old: Option<Booking> = sqlx::query_as(&format!(
        "select {COLUMNS} from booking
         where id = $1 and telegram_id = $2 and status = 'active' and slot_start > $3
         for update"
    ))
    .bind(id)
    .bind(telegram_id)
    .bind(now)
    .fetch_optional(&mut **tx)
    .await?;
    let Some(old) = old else {
        return Ok(Err(Refusal::NotFound));
    };
    // The visit moved stays one visit: the others the person holds there must leave room for it.
    if let Err(refusal) = within_limit(
        tx,
        telegram_id,
        &old.service_key,
        per_person,
        Some(old.id),
        now,
    )
    .await?
    {
        return Ok(Err(refusal));
    }
    let new = NewBooking {
        service_key: &old.service_key,
        slot_start: slot.0,
        slot_end: slot.1,
        capacity,
        per_person: 1,
        telegram_id,
        chat_id: old.chat_id,
        name: &old.name,
        phone: &old.phone,
        lang: old.language,
    };
    let hold = Hold::Booked {
        calendar_uid: Some(old.calendar_uid()),
    };
    let Some(new_id) = take_seat(tx, &new, &hold, now).await? else {
        return Ok(Err(Refusal::SlotTaken));
    };
    sqlx::query("update booking set status = 'cancelled', cancelled_at = $2 where id = $1")
        .bind(old.id)
        .bind(now)
        .execute(&mut **tx)
        .await?;
    outbox::withdraw_reminders(tx, old.id, now).await?;
    let moved = by_id(tx, new_id).await?;
    Ok(Ok((old, moved)))
}

/// Cancels the person's upcoming booking `id`; its pending reminders are withdrawn with it.
pub async fn cancel(
    tx: &mut Tx<'_>,
    id: i64,
    telegram_id: i64,
    now: DateTime<Utc>,
) -> sqlx::Result<Outcome<Booking>> {
    let booking: Option<Booking> = sqlx::query_as(&format!(
        "update booking set status = 'cancelled', cancelled_at = $3
         where id = $1 and telegram_id = $2 and status = 'active' and slot_start > $3
         returning {COLUMNS}"
    ))
    .bind(id)
    .bind(telegram_id)
    .bind(now)
    .fetch_optional(&mut **tx)
    .await?;
    let Some(booking) = booking else {
        return Ok(Err(Refusal::NotFound));
    };
    outbox::withdraw_reminders(tx, booking.id, now).await?;
    Ok(Ok(booking))
}

/// "I'll be there": recorded on the person's upcoming booking.
pub async fn attend(
    pool: &PgPool,
    id: i64,
    telegram_id: i64,
    now: DateTime<Utc>,
) -> sqlx::Result<Option<Booking>> {
    sqlx::query_as(&format!(
        "update booking set attending_at = coalesce(attending_at, $3)
         where id = $1 and telegram_id = $2 and status = 'active' and slot_start > $3
         returning {COLUMNS}"
    ))
    .bind(id)
    .bind(telegram_id)
    .bind(now)
    .fetch_optional(pool)
    .await
}

/// Any booking by id (the outbox builds its messages from it).
pub async fn get(pool: &PgPool, id: i64) -> sqlx::Result<Option<Booking>> {
    sqlx::query_as(&format!("select {COLUMNS} from booking where id = $1"))
        .bind(id)
        .fetch_optional(pool)
        .await
}

/// The person's booking `id` in any state, if it is theirs (to tell the truth about an old button).
pub async fn own_any(pool: &PgPool, id: i64, telegram_id: i64) -> sqlx::Result<Option<Booking>> {
    sqlx::query_as(&format!(
        "select {COLUMNS} from booking where id = $1 and telegram_id = $2"
    ))
    .bind(id)
    .bind(telegram_id)
    .fetch_optional(pool)
    .await
}

/// The person's upcoming active visit that a moved booking became (a move keeps the calendar
/// entry's UID on the new row).
pub async fn moved_to(
    pool: &PgPool,
    from: &Booking,
    now: DateTime<Utc>,
) -> sqlx::Result<Option<Booking>> {
    sqlx::query_as(&format!(
        "select {COLUMNS} from booking
         where telegram_id = $1 and status = 'active' and slot_start > $3 and id <> $4
           and calendar_uid = $2
         order by id desc limit 1"
    ))
    .bind(from.telegram_id)
    .bind(from.calendar_uid())
    .bind(now)
    .bind(from.id)
    .fetch_optional(pool)
    .await
}

/// The person's upcoming booking `id`, if it is theirs, active and not past.
pub async fn own_upcoming(
    pool: &PgPool,
    id: i64,
    telegram_id: i64,
    now: DateTime<Utc>,
) -> sqlx::Result<Option<Booking>> {
    sqlx::query_as(&format!(
        "select {COLUMNS} from booking where id = $1 and telegram_id = $2 and status = 'active' and slot_start > $3"
    ))
    .bind(id)
    .bind(telegram_id)
    .bind(now)
    .fetch_optional(pool)
    .await
}

/// The person's bookings not yet over (one under way included: they may be on their way),
/// soonest first.
pub async fn upcoming(
    pool: &PgPool,
    telegram_id: i64,
    now: DateTime<Utc>,
) -> sqlx::Result<Vec<Booking>> {
    sqlx::query_as(&format!(
        "select {COLUMNS} from booking where telegram_id = $1 and status = 'active' and slot_end > $2
         order by slot_start"
    ))
    .bind(telegram_id)
    .bind(now)
    .fetch_all(pool)
    .await
}

/// A person to put on a service's waiting list.
pub struct NewWaiting<'a> {
    pub service_key: &'a str,
    pub telegram_id: i64,
    pub chat_id: i64,
    pub name: &'a Name,
    pub phone: &'a Phone,
    pub lang: Lang,
}

/// The first person waiting for a service.
#[derive(sqlx::FromRow)]
struct Waiting {
    id: i64,
    telegram_id: i64,
    chat_id: i64,
    #[sqlx(try_from = "String")]
    name: Name,
    #[sqlx(try_from = "String")]
    phone: Phone,
    #[sqlx(try_from = "String")]
    language: Lang,
}

/// Puts the person on the list (true), or not: false when they are on it already, refused when
/// they hold as many visits of the service as allowed (the list is for people without one).
pub async fn join_waiting(
    pool: &PgPool,
    new: &NewWaiting<'_>,
    per_person: u32,
    now: DateTime<Utc>,
) -> sqlx::Result<Outcome<bool>> {
    let mut tx = pool.begin().await?;
    if let Err(refusal) = within_limit(
        &mut tx,
        new.telegram_id,
        new.service_key,
        per_person,
        None,
        now,
    )
    .await?
    {
        return Ok(Err(refusal));
    }
    let done = sqlx::query(
        "insert into waiting (service_key, telegram_id, chat_id, name, phone, language, status, created_at)
         values ($1, $2, $3, $4, $5, $6, 'waiting', $7)
         on conflict (service_key, telegram_id) where status in ('waiting', 'offered') do nothing",
    )
    .bind(new.service_key)
    .bind(new.telegram_id)
    .bind(new.chat_id)
    .bind(new.name.as_str())
    .bind(new.phone.as_str())
    .bind(new.lang.code())
    .bind(now)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Ok(done.rows_affected() == 1))
}

/// The waiting lists the person is on (not yet offered a slot): (entry id, service key).
pub async fn waiting_of(pool: &PgPool, telegram_id: i64) -> sqlx::Result<Vec<(i64, String)>> {
    sqlx::query_as(
        "select id, service_key from waiting where telegram_id = $1 and status = 'waiting'
         order by created_at",
    )
    .bind(telegram_id)
    .fetch_all(pool)
    .await
}

/// Takes the person off a waiting list; the service's key when they were on it.
pub async fn leave_waiting(
    pool: &PgPool,
    id: i64,
    telegram_id: i64,
) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar(
        "update waiting set status = 'left' where id = $1 and telegram_id = $2 and status = 'waiting'
         returning service_key",
    )
    .bind(id)
    .bind(telegram_id)
    .fetch_optional(pool)
    .await
}

/// Services that have people waiting.
pub async fn services_with_waiting(pool: &PgPool) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar("select distinct service_key from waiting where status = 'waiting'")
        .fetch_all(pool)
        .await
}

/// A slot to offer from a service's waiting list: its span and seats, and the person's limit.
pub struct ToOffer<'a> {
    pub service_key: &'a str,
    pub slot: (DateTime<Utc>, DateTime<Utc>),
    pub capacity: u32,
    pub per_person: u32,
}

/// When an offer goes out and how long it is held (both in the day, not at night).
#[derive(Clone, Copy)]
pub struct OfferTimes {
    pub send_at: DateTime<Utc>,
    pub held_until: DateTime<Utc>,
}

/// What came of offering a slot to the waiting list.
#[derive(Debug)]
pub enum Offered {
    /// Held for the first person who may take it; the offer is queued.
    Held(Box<Booking>),
    /// Nobody waiting may take this slot (each let it pass before), or it was taken meanwhile;
    /// another slot may still go to someone.
    NotThisSlot,
    /// Nobody waiting may take any slot: everyone left, or holds as many visits as allowed.
    Nobody,
}

/// Holds the slot for the first person on the service's list who may take it: one whose visits
/// there are below the limit (a person with a visit is passed over, keeping their place) and who
/// did not already let this very slot pass. The offer goes out at `times.send_at`.
pub async fn offer_to_next(
    pool: &PgPool,
    offer: &ToOffer<'_>,
    times: OfferTimes,
    now: DateTime<Utc>,
) -> sqlx::Result<Offered> {
    let mut tx = pool.begin().await?;
    let next: Option<Waiting> = sqlx::query_as(
        "select w.id, w.telegram_id, w.chat_id, w.name, w.phone, w.language from waiting w
         where w.service_key = $1 and w.status = 'waiting'
           and (select count(*) from booking b
                where b.telegram_id = w.telegram_id and b.service_key = w.service_key
                  and b.status = 'active' and b.slot_start > $3) < $4
           and not exists (select 1 from booking b
                           where b.waiting_id = w.id and b.slot_start = $2 and b.status = 'expired')
         order by w.created_at, w.id limit 1
         for update of w skip locked",
    )
    .bind(offer.service_key)
    .bind(offer.slot.0)
    .bind(now)
    .bind(i64::from(offer.per_person.max(1)))
    .fetch_optional(&mut *tx)
    .await?;
    let Some(next) = next else {
        let anyone: bool = sqlx::query_scalar(
            "select exists (select 1 from waiting w
                            where w.service_key = $1 and w.status = 'waiting'
                              and (select count(*) from booking b
                                   where b.telegram_id = w.telegram_id and b.service_key = w.service_key
                                     and b.status = 'active' and b.slot_start > $2) < $3)",
        )
        .bind(offer.service_key)
        .bind(now)
        .bind(i64::from(offer.per_person.max(1)))
        .fetch_one(&mut *tx)
        .await?;
        return Ok(if anyone {
            Offered::NotThisSlot
        } else {
            Offered::Nobody
        });
    };
    let waiting_id = next.id;
    let new = NewBooking {
        service_key: offer.service_key,
        slot_start: offer.slot.0,
        slot_end: offer.slot.1,
        capacity: offer.capacity,
        per_person: offer.per_person,
        telegram_id: next.telegram_id,
        chat_id: next.chat_id,
        name: &next.name,
        phone: &next.phone,
        lang: next.language,
    };
    let hold = Hold::Offered {
        held_until: times.held_until,
        waiting_id,
    };
    let Some(id) = take_seat(&mut tx, &new, &hold, now).await? else {
        return Ok(Offered::NotThisSlot);
    };
    sqlx::query("update waiting set status = 'offered' where id = $1")
        .bind(waiting_id)
        .execute(&mut *tx)
        .await?;
    let booking = by_id(&mut tx, id).await?;
    outbox::enqueue(
        &mut tx,
        &[NewJob::Offer {
            booking_id: booking.id,
            chat_id: booking.chat_id,
            due_at: times.send_at,
        }],
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(Offered::Held(Box::new(booking)))
}

/// Offers not taken in time: released, and their people keep their place on the list for the
/// next slot (this one goes to the next person).
pub async fn expire_offers(pool: &PgPool, now: DateTime<Utc>) -> sqlx::Result<Vec<Booking>> {
    let mut tx = pool.begin().await?;
    let expired: Vec<Booking> = sqlx::query_as(&format!(
        "update booking set status = 'expired' where status = 'held' and held_until <= $1 returning {COLUMNS}"
    ))
    .bind(now)
    .fetch_all(&mut *tx)
    .await?;
    let waiting: Vec<i64> = expired.iter().filter_map(|b| b.waiting_id).collect();
    sqlx::query("update waiting set status = 'waiting' where id = any($1) and status = 'offered'")
        .bind(&waiting)
        .execute(&mut *tx)
        .await?;
    let told: Vec<NewJob> = expired
        .iter()
        .map(|b| NewJob::OfferExpired {
            booking_id: b.id,
            chat_id: b.chat_id,
            // Found expired at night (the worker was down at its deadline): told in the morning.
            due_at: crate::booking::reminders::daytime(now),
        })
        .collect();
    outbox::enqueue(&mut tx, &told, now).await?;
    tx.commit().await?;
    Ok(expired)
}

/// The person takes the slot held for them: it becomes their booking, within their limit (a
/// visit they booked meanwhile refuses it: `LimitReached`, and the caller lets the slot go).
pub async fn accept_offer(
    tx: &mut Tx<'_>,
    id: i64,
    telegram_id: i64,
    per_person: impl Fn(&str) -> u32,
    now: DateTime<Utc>,
) -> sqlx::Result<Outcome<Booking>> {
    let service_key: Option<String> = sqlx::query_scalar(
        "select service_key from booking where id = $1 and telegram_id = $2 and status = 'held'",
    )
    .bind(id)
    .bind(telegram_id)
    .fetch_optional(&mut **tx)
    .await?;
    let Some(service_key) = service_key else {
        return Ok(Err(Refusal::NotFound));
    };
    let limit = per_person(&service_key);
    if let Err(refusal) = within_limit(tx, telegram_id, &service_key, limit, None, now).await? {
        return Ok(Err(refusal));
    }
    let booking: Option<Booking> = sqlx::query_as(&format!(
        "update booking set status = 'active', held_until = null
         where id = $1 and telegram_id = $2 and status = 'held' and held_until > $3
         returning {COLUMNS}"
    ))
    .bind(id)
    .bind(telegram_id)
    .bind(now)
    .fetch_optional(&mut **tx)
    .await?;
    let Some(booking) = booking else {
        return Ok(Err(Refusal::NotFound));
    };
    sqlx::query("update waiting set status = 'booked' where id = $1")
        .bind(booking.waiting_id)
        .execute(&mut **tx)
        .await?;
    Ok(Ok(booking))
}

/// The person lets the held slot go (and leaves the list).
pub async fn decline_offer(
    tx: &mut Tx<'_>,
    id: i64,
    telegram_id: i64,
) -> sqlx::Result<Outcome<Booking>> {
    let booking: Option<Booking> = sqlx::query_as(&format!(
        "update booking set status = 'expired' where id = $1 and telegram_id = $2 and status = 'held'
         returning {COLUMNS}"
    ))
    .bind(id)
    .bind(telegram_id)
    .fetch_optional(&mut **tx)
    .await?;
    let Some(booking) = booking else {
        return Ok(Err(Refusal::NotFound));
    };
    sqlx::query("update waiting set status = 'left' where id = $1")
        .bind(booking.waiting_id)
        .execute(&mut **tx)
        .await?;
    Ok(Ok(booking))
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use proptest::prelude::*;

    use super::*;

    impl Taken {
        /// Whether this seat is taken for any moment of `start..end`: the plain definition that
        /// [`TakenSeats::free`] answers by binary search.
        fn overlaps(&self, seat: i16, start: DateTime<Utc>, end: DateTime<Utc>) -> bool {
            self.seat == seat && self.slot_start < end && start < self.slot_end
        }
    }

    fn minute(m: i64) -> DateTime<Utc> {
        Utc.timestamp_opt(1_790_000_000 + m * 60, 0)
            .single()
            .expect("an instant")
    }

    proptest! {
        /// The arranged seats answer as looking at every span does: spans of any length on a few
        /// seats, overlapping one another or not, asked of any span.
        #[test]
        fn taken_seats_answer_as_a_look_at_every_span(
            spans in prop::collection::vec((1i16..4, 0i64..600, 1i64..120), 0..40),
            asked in prop::collection::vec((0i16..5, 0i64..700, 1i64..90), 1..30),
        ) {
            let taken: Vec<Taken> = spans
                .iter()
                .map(|(seat, start, length)| Taken {
                    seat: *seat,
                    slot_start: minute(*start),
                    slot_end: minute(start + length),
                })
                .collect();
            let seats = TakenSeats::new(taken.clone());
            for (seat, start, length) in asked {
                let (start, end) = (minute(start), minute(start + length));
                let every = !taken.iter().any(|t| t.overlaps(seat, start, end));
                prop_assert_eq!(seats.free(seat, start, end), every);
            }
        }
    }
}
