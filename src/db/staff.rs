//! What the staff tools read and write: a day's visits, who came, and the audit of every staff
//! action.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{PgPool, Postgres, Transaction};

use crate::booking::{Name, Phone};

/// A visit on the day's agenda.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct AgendaVisit {
    pub id: i64,
    pub service_key: String,
    pub slot_start: DateTime<Utc>,
    pub slot_end: DateTime<Utc>,
    #[sqlx(try_from = "String")]
    pub name: Name,
    #[sqlx(try_from = "String")]
    pub phone: Phone,
    /// The person pressed "I'll be there".
    pub attending: bool,
    /// Marked by the staff: came (true) or did not (false).
    pub attended: Option<bool>,
    /// Booked by the staff for someone who phoned.
    pub by_phone: bool,
}

/// The active visits of `services` starting in [from, to), by service then time.
pub async fn agenda(
    pool: &PgPool,
    services: &[String],
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> sqlx::Result<Vec<AgendaVisit>> {
    sqlx::query_as(
        "select id, service_key, slot_start, slot_end, name, phone,
                attending_at is not null as attending, attended, source = 'phone' as by_phone
         from booking
         where status = 'active' and service_key = any($1) and slot_start >= $2 and slot_start < $3
         order by service_key, slot_start, seat",
    )
    .bind(services)
    .bind(from)
    .bind(to)
    .fetch_all(pool)
    .await
}

/// Marks whether the person came; the visit when it is active and one of `services`.
pub async fn mark_attendance(
    tx: &mut Transaction<'_, Postgres>,
    id: i64,
    services: &[String],
    came: bool,
    now: DateTime<Utc>,
) -> sqlx::Result<Option<AgendaVisit>> {
    sqlx::query_as(
        "update booking set attended = $3, attendance_marked_at = $4
         where id = $1 and service_key = any($2) and status = 'active' and slot_start <= $4
         returning id, service_key, slot_start, slot_end, name, phone,
                   attending_at is not null as attending, attended, source = 'phone' as by_phone",
    )
    .bind(id)
    .bind(services)
    .bind(came)
    .bind(now)
    .fetch_optional(&mut **tx)
    .await
}

/// One staff action, for the audit.
pub struct Action<'a> {
    pub staff_id: i64,
    pub action: &'a str,
    pub booking_id: Option<i64>,
    pub detail: &'a str,
}

pub async fn record(
    tx: &mut Transaction<'_, Postgres>,
    action: &Action<'_>,
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    sqlx::query(
        "insert into staff_audit (staff_id, at, action, booking_id, detail) values ($1, $2, $3, $4, $5)",
    )
    .bind(action.staff_id)
    .bind(now)
    .bind(action.action)
    .bind(action.booking_id)
    .bind(action.detail)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A recorded staff action.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Recorded {
    pub staff_id: i64,
    pub at: DateTime<Utc>,
    pub action: String,
    pub booking_id: Option<i64>,
    pub detail: String,
}

/// The latest `limit` staff actions, newest first.
pub async fn latest(pool: &PgPool, limit: i64) -> sqlx::Result<Vec<Recorded>> {
    sqlx::query_as(
        "select staff_id, at, action, booking_id, detail from staff_audit order by at desc, id desc limit $1",
    )
    .bind(limit)
    .fetch_all(pool)
    .await
}

/// A visit as exported: every booking of the services in the range, active or cancelled.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ExportRow {
    pub id: i64,
    pub service_key: String,
    pub slot_start: DateTime<Utc>,
    pub slot_end: DateTime<Utc>,
    pub name: String,
    pub phone: String,
    pub language: String,
    pub status: String,
    pub attending: bool,
    pub attended: Option<bool>,
    /// Cancelled by staff (a closure), not by the person.
    pub by_staff: bool,
    /// Booked by the staff for someone who phoned.
    pub by_phone: bool,
    /// The calendar entry it belongs to: a move keeps it, so the rows of one visit share it.
    pub calendar_uid: String,
    pub created_at: DateTime<Utc>,
}

/// The bookings (active or cancelled) of `services` starting in [from, to), by time.
pub async fn export(
    pool: &PgPool,
    services: &[String],
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> sqlx::Result<Vec<ExportRow>> {
    sqlx::query_as(
        "select id, service_key, slot_start, slot_end, name, phone, language, status,
                attending_at is not null as attending, attended,
                cancelled_by_staff is not null as by_staff, source = 'phone' as by_phone,
                coalesce(calendar_uid, 'booking-' || id || '@okienko') as calendar_uid, created_at
         from booking
         where status in ('active', 'cancelled') and service_key = any($1)
           and slot_start >= $2 and slot_start < $3
         order by slot_start, service_key, id",
    )
    .bind(services)
    .bind(from)
    .bind(to)
    .fetch_all(pool)
    .await
}

/// A closure of a service or a whole centre for some days, with its reason.
pub struct Closure<'a> {
    /// The directory key the exception is written for (a place, or a centre to close it all).
    pub key: &'a str,
    /// The bookable services it closes.
    pub services: &'a [String],
    pub days: &'a [NaiveDate],
    /// From the first day's start to the last day's end (or the hours closed, on one day).
    pub span: (DateTime<Utc>, DateTime<Utc>),
    /// The hours the days keep (some hours closed), as stored; None: closed all day.
    pub open_hours: Option<String>,
    pub reason: &'a str,
    pub staff_id: i64,
}

/// A visit a closure cancelled.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Closed {
    pub id: i64,
    pub service_key: String,
    pub chat_id: i64,
    /// A phone booking: the staff call the person (listed for them), nobody is messaged.
    pub by_phone: bool,
    pub name: String,
    pub phone: String,
    pub slot_start: DateTime<Utc>,
}

/// Closes, in the caller's transaction: the days become exceptions (closed, with the reason),
/// the active visits inside are cancelled (by this staff member), their reminders withdrawn, each
/// person is told through the outbox, and the action is recorded.
pub async fn close(
    tx: &mut Transaction<'_, Postgres>,
    closure: &Closure<'_>,
    now: DateTime<Utc>,
) -> sqlx::Result<Vec<Closed>> {
    for day in closure.days {
        sqlx::query(
            "insert into place_exception (place_key, day, hours, note, created_at)
             values ($1, $2, $5, $3, $4)
             on conflict (place_key, day) do update set hours = excluded.hours, note = excluded.note",
        )
        .bind(closure.key)
        .bind(day)
        .bind(closure.reason)
        .bind(now)
        .bind(&closure.open_hours)
        .execute(&mut **tx)
        .await?;
    }
    let closed: Vec<Closed> = sqlx::query_as(
        "update booking set status = 'cancelled', cancelled_at = $4, cancelled_by_staff = $5
         where status = 'active' and service_key = any($1) and slot_start < $3 and slot_end > $2
         returning id, service_key, chat_id, source = 'phone' as by_phone, name, phone, slot_start",
    )
    .bind(closure.services)
    .bind(closure.span.0)
    .bind(closure.span.1)
    .bind(now)
    .bind(closure.staff_id)
    .fetch_all(&mut **tx)
    .await?;
    let mut jobs = Vec::new();
    for visit in &closed {
        crate::db::outbox::withdraw_reminders(tx, visit.id, now).await?;
        if visit.by_phone {
            continue;
        }
        jobs.push(crate::db::outbox::NewJob::Closure {
            booking_id: visit.id,
            chat_id: visit.chat_id,
            reason: closure.reason.to_owned(),
        });
    }
    crate::db::outbox::enqueue(tx, &jobs, now).await?;
    let first = closure
        .days
        .first()
        .map(ToString::to_string)
        .unwrap_or_default();
    let last = closure
        .days
        .last()
        .map(ToString::to_string)
        .unwrap_or_default();
    let kept = closure
        .open_hours
        .as_ref()
        .map(|hours| format!(" (open {hours})"))
        .unwrap_or_default();
    let detail = format!(
        "{} {first}..{last}{kept}: {} ({} visits)",
        closure.key,
        closure.reason,
        closed.len()
    );
    record(
        tx,
        &Action {
            staff_id: closure.staff_id,
            action: "close",
            booking_id: None,
            detail: &detail,
        },
        now,
    )
    .await?;
    Ok(closed)
}

/// Marks a booking just made as a phone booking by `staff_id`.
pub async fn mark_phone_booking(
    tx: &mut Transaction<'_, Postgres>,
    id: i64,
    staff_id: i64,
) -> sqlx::Result<()> {
    sqlx::query("update booking set source = 'phone', booked_by_staff = $2 where id = $1")
        .bind(id)
        .bind(staff_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The person a phone booking is for, as the per-person limit and its lock see them: the
/// negated digits of their number (Telegram user ids are positive).
pub fn phone_person(phone: &Phone) -> i64 {
    let digits: String = phone
        .as_str()
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    -digits.parse::<i64>().unwrap_or(0).abs()
}

/// An active visit of `services`, for a staff action on it.
pub async fn visit(
    pool: &PgPool,
    id: i64,
    services: &[String],
) -> sqlx::Result<Option<AgendaVisit>> {
    sqlx::query_as(
        "select id, service_key, slot_start, slot_end, name, phone,
                attending_at is not null as attending, attended, source = 'phone' as by_phone
         from booking where id = $1 and service_key = any($2) and status = 'active'",
    )
    .bind(id)
    .bind(services)
    .fetch_optional(pool)
    .await
}

/// Cancels one upcoming visit of `services` for the staff, with the reason: its reminders are
/// withdrawn and, when it was booked in Telegram, the person is told through the outbox (with a
/// way to book again); recorded in the audit. None when it is no longer active and upcoming.
pub async fn cancel_visit(
    tx: &mut Transaction<'_, Postgres>,
    id: i64,
    services: &[String],
    staff_id: i64,
    reason: &str,
    now: DateTime<Utc>,
) -> sqlx::Result<Option<Closed>> {
    let closed: Option<Closed> = sqlx::query_as(
        "update booking set status = 'cancelled', cancelled_at = $3, cancelled_by_staff = $4
         where id = $1 and service_key = any($2) and status = 'active' and slot_start > $3
         returning id, service_key, chat_id, source = 'phone' as by_phone, name, phone, slot_start",
    )
    .bind(id)
    .bind(services)
    .bind(now)
    .bind(staff_id)
    .fetch_optional(&mut **tx)
    .await?;
    let Some(visit) = closed else {
        return Ok(None);
    };
    crate::db::outbox::withdraw_reminders(tx, visit.id, now).await?;
    if !visit.by_phone {
        let job = crate::db::outbox::NewJob::Closure {
            booking_id: visit.id,
            chat_id: visit.chat_id,
            reason: reason.to_owned(),
        };
        crate::db::outbox::enqueue(tx, &[job], now).await?;
    }
    let action = Action {
        staff_id,
        action: "cancel",
        booking_id: Some(visit.id),
        detail: reason,
    };
    record(tx, &action, now).await?;
    Ok(Some(visit))
}

/// Sets a place's hours on one day (an extra opening), with a note.
pub async fn set_day_hours(
    tx: &mut Transaction<'_, Postgres>,
    key: &str,
    day: NaiveDate,
    hours: &str,
    note: &str,
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    sqlx::query(
        "insert into place_exception (place_key, day, hours, note, created_at)
         values ($1, $2, $3, nullif($4, ''), $5)
         on conflict (place_key, day) do update set hours = excluded.hours, note = excluded.note",
    )
    .bind(key)
    .bind(day)
    .bind(hours)
    .bind(note)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The phone bookings of `services` in [from, to) that the staff cancelled: the people to call.
pub async fn cancelled_by_phone(
    pool: &PgPool,
    services: &[String],
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> sqlx::Result<Vec<Closed>> {
    sqlx::query_as(
        "select id, service_key, chat_id, true as by_phone, name, phone, slot_start
         from booking
         where status = 'cancelled' and source = 'phone' and cancelled_by_staff is not null
           and service_key = any($1) and slot_start >= $2 and slot_start < $3
           and not exists (select 1 from booking later
                           where later.calendar_uid = booking.calendar_uid and later.id > booking.id)
         order by slot_start",
    )
    .bind(services)
    .bind(from)
    .bind(to)
    .fetch_all(pool)
    .await
}
