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

/// How many seats are taken (booked or held) per slot start, from `from` on.
pub async fn taken(
    pool: &PgPool,
    service_key: &str,
    from: DateTime<Utc>,
) -> sqlx::Result<Vec<(DateTime<Utc>, i64)>> {
    sqlx::query_as(
        "select slot_start, count(*) from booking
         where service_key = $1 and slot_start >= $2 and status in ('active', 'held')
         group by slot_start",
    )
    .bind(service_key)
    .bind(from)
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
/// unique index on active and held seats is what refuses).
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
             on conflict (service_key, slot_start, seat) where status in ('active', 'held') do nothing
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

/// Books a seat of the slot, within the person's limit.
pub async fn book(
    tx: &mut Tx<'_>,
    new: &NewBooking<'_>,
    now: DateTime<Utc>,
) -> sqlx::Result<Outcome<Booking>> {
    lock_person(tx, new.telegram_id).await?;
    let existing = upcoming_of_service(tx, new.telegram_id, new.service_key, now).await?;
    if existing.len() >= new.per_person.max(1) as usize {
        if let Some(first) = existing.into_iter().next() {
            return Ok(Err(Refusal::LimitReached(Box::new(first))));
        }
    }
    let hold = Hold::Booked { calendar_uid: None };
    let Some(id) = take_seat(tx, new, &hold, now).await? else {
        return Ok(Err(Refusal::SlotTaken));
    };
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
    capacity: u32,
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

/// Puts the person on the list; false when they are on it already.
pub async fn join_waiting(
    pool: &PgPool,
    new: &NewWaiting<'_>,
    now: DateTime<Utc>,
) -> sqlx::Result<bool> {
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
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
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

/// Holds the slot for the first person waiting for the service until `held_until`; returns the
/// held booking, or None when nobody waits or the slot was taken meanwhile.
pub async fn offer_to_next(
    pool: &PgPool,
    service_key: &str,
    slot: (DateTime<Utc>, DateTime<Utc>),
    capacity: u32,
    held_until: DateTime<Utc>,
    now: DateTime<Utc>,
) -> sqlx::Result<Option<Booking>> {
    let mut tx = pool.begin().await?;
    let next: Option<Waiting> = sqlx::query_as(
        "select id, telegram_id, chat_id, name, phone, language from waiting
         where service_key = $1 and status = 'waiting'
         order by created_at, id limit 1
         for update skip locked",
    )
    .bind(service_key)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(next) = next else {
        return Ok(None);
    };
    let waiting_id = next.id;
    let new = NewBooking {
        service_key,
        slot_start: slot.0,
        slot_end: slot.1,
        capacity,
        per_person: 1,
        telegram_id: next.telegram_id,
        chat_id: next.chat_id,
        name: &next.name,
        phone: &next.phone,
        lang: next.language,
    };
    let held = take_seat(
        &mut tx,
        &new,
        &Hold::Offered {
            held_until,
            waiting_id,
        },
        now,
    )
    .await?;
    let Some(id) = held else {
        return Ok(None);
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
        }],
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(Some(booking))
}

/// Offers not taken in time: released, and their people taken off the list.
pub async fn expire_offers(pool: &PgPool, now: DateTime<Utc>) -> sqlx::Result<Vec<Booking>> {
    let mut tx = pool.begin().await?;
    let expired: Vec<Booking> = sqlx::query_as(&format!(
        "update booking set status = 'expired' where status = 'held' and held_until <= $1 returning {COLUMNS}"
    ))
    .bind(now)
    .fetch_all(&mut *tx)
    .await?;
    let waiting: Vec<i64> = expired.iter().filter_map(|b| b.waiting_id).collect();
    sqlx::query("update waiting set status = 'left' where id = any($1)")
        .bind(&waiting)
        .execute(&mut *tx)
        .await?;
    let told: Vec<NewJob> = expired
        .iter()
        .map(|b| NewJob::OfferExpired {
            booking_id: b.id,
            chat_id: b.chat_id,
        })
        .collect();
    outbox::enqueue(&mut tx, &told, now).await?;
    tx.commit().await?;
    Ok(expired)
}

/// The person takes the slot held for them: it becomes their booking.
pub async fn accept_offer(
    tx: &mut Tx<'_>,
    id: i64,
    telegram_id: i64,
    now: DateTime<Utc>,
) -> sqlx::Result<Outcome<Booking>> {
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
