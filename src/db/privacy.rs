//! Personal data at the edge: consent to store a name and phone, the discreet-reminders choice,
//! everything stored about a person (for `/mydata`), erasing it (`/forget`), and erasing by age
//! (the retention job). An erased name or phone is stored as the empty text, and the row keeps its
//! service and time for the statistics.

use chrono::{DateTime, Utc};
use sqlx::PgPool;

use super::{
    booking::{Booking, Tx, COLUMNS},
    outbox,
};
use crate::booking::Phone;

/// Whether the person agreed that their name and phone be stored.
pub async fn consented(pool: &PgPool, telegram_id: i64) -> sqlx::Result<bool> {
    let at: Option<Option<DateTime<Utc>>> =
        sqlx::query_scalar("select consent_at from telegram_user where telegram_id = $1")
            .bind(telegram_id)
            .fetch_optional(pool)
            .await?;
    Ok(at.flatten().is_some())
}

/// Whether anything [`forget`] would erase is stored about the person: a visit (of any status)
/// still under their id, a waiting-list entry, a subscription, a message to them still to be sent
/// or kept with its text (a reminder, a reply held back), or a setting (consent, a chosen
/// language, discreet reminders).
pub async fn holds_anything(pool: &PgPool, telegram_id: i64) -> sqlx::Result<bool> {
    sqlx::query_scalar(
        "select exists (select 1 from booking where telegram_id = $1)
             or exists (select 1 from waiting where telegram_id = $1)
             or exists (select 1 from subscription where telegram_id = $1)
             or exists (select 1 from outbox_job where chat_id = $1 and kind <> 'staff'
                        and (status = 'pending' or text is not null))
             or exists (select 1 from telegram_user where telegram_id = $1
                        and (consent_at is not null or language is not null or discreet_reminders))",
    )
    .bind(telegram_id)
    .fetch_one(pool)
    .await
}

/// Records the person's consent (the first one is kept).
pub async fn consent(pool: &PgPool, telegram_id: i64, now: DateTime<Utc>) -> sqlx::Result<()> {
    sqlx::query(
        "insert into telegram_user (telegram_id, first_seen, last_seen, consent_at) values ($1, $2, $2, $2)
         on conflict (telegram_id) do update set consent_at = coalesce(telegram_user.consent_at, excluded.consent_at)",
    )
    .bind(telegram_id)
    .bind(now)
    .execute(pool)
    .await?;
    Ok(())
}

/// Whether the person's reminders name only the centre and the time.
pub async fn discreet(pool: &PgPool, telegram_id: i64) -> sqlx::Result<bool> {
    let discreet: Option<bool> =
        sqlx::query_scalar("select discreet_reminders from telegram_user where telegram_id = $1")
            .bind(telegram_id)
            .fetch_optional(pool)
            .await?;
    Ok(discreet.unwrap_or(false))
}

/// Turns discreet reminders on or off for the person.
pub async fn set_discreet(
    pool: &PgPool,
    telegram_id: i64,
    on: bool,
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    sqlx::query(
        "insert into telegram_user (telegram_id, first_seen, last_seen, discreet_reminders) values ($1, $2, $2, $3)
         on conflict (telegram_id) do update set discreet_reminders = excluded.discreet_reminders",
    )
    .bind(telegram_id)
    .bind(now)
    .bind(on)
    .execute(pool)
    .await?;
    Ok(())
}

/// Everything stored about the person, as one JSON document: their settings, visits, waiting
/// lists, subscriptions, messages still to be sent to them, and a conversation in progress.
pub async fn export(pool: &PgPool, telegram_id: i64) -> sqlx::Result<serde_json::Value> {
    sqlx::query_scalar(
        "select json_build_object(
            'user', (select row_to_json(u) from (
                select telegram_id, language, consent_at, discreet_reminders, first_seen, last_seen,
                       unreachable_since
                from telegram_user where telegram_id = $1) u),
            'visits', coalesce((select json_agg(b order by b.slot_start) from (
                select id, service_key as service, slot_start, slot_end, name, phone, language,
                       status, created_at, cancelled_at, attending_at, attended
                from booking where telegram_id = $1) b), '[]'::json),
            'waiting_lists', coalesce((select json_agg(w order by w.created_at) from (
                select id, service_key as service, name, phone, language, status, created_at
                from waiting where telegram_id = $1) w), '[]'::json),
            'subscriptions', coalesce((select json_agg(s order by s.created_at) from (
                select topic, language, created_at
                from subscription where telegram_id = $1) s), '[]'::json),
            'messages_to_send', coalesce((select json_agg(j order by j.due_at) from (
                select kind, booking_id as visit, due_at, text
                from outbox_job where chat_id = $1 and status = 'pending') j), '[]'::json),
            'conversation', (select state from dialogue where chat_id = $1)
        )::jsonb",
    )
    .bind(telegram_id)
    .fetch_one(pool)
    .await
}

/// What [`forget`] did.
#[derive(Debug, Default)]
pub struct Forgotten {
    /// Upcoming visits cancelled (the staff are told, without the name or phone).
    pub cancelled: Vec<Booking>,
    /// Past and cancelled visits whose name and phone were erased.
    pub anonymised: u64,
    /// Waiting-list entries removed (an offer held for the person is withdrawn too).
    pub waiting: u64,
    pub subscriptions: u64,
}

/// Erases what is stored about the person, in the caller's transaction: upcoming visits
/// cancelled (their reminders withdrawn), every visit's name and phone erased, waiting-list
/// entries, subscriptions, the conversation and messages still to be sent (held-back replies
/// too) removed, the text of those sent to them and of sent staff notices that named them
/// emptied, and their settings (language, consent, discreet reminders) dropped.
pub async fn forget(
    tx: &mut Tx<'_>,
    telegram_id: i64,
    now: DateTime<Utc>,
) -> sqlx::Result<Forgotten> {
    let cancelled: Vec<Booking> = sqlx::query_as(&format!(
        "update booking set status = 'cancelled', cancelled_at = $2
         where telegram_id = $1 and status = 'active' and slot_start > $2
         returning {COLUMNS}"
    ))
    .bind(telegram_id)
    .bind(now)
    .fetch_all(&mut **tx)
    .await?;
    for booking in &cancelled {
        outbox::withdraw_reminders(tx, booking.id, now).await?;
    }
    // A slot held for them from the waiting list goes back to the others.
    sqlx::query("update booking set status = 'expired' where telegram_id = $1 and status = 'held'")
        .bind(telegram_id)
        .execute(&mut **tx)
        .await?;
    // The staff notices already sent that named them, by the phone numbers they gave.
    let phones: Vec<String> = sqlx::query_scalar(
        "select phone from booking where telegram_id = $1 and phone <> ''
         union select phone from waiting where telegram_id = $1 and phone <> ''",
    )
    .bind(telegram_id)
    .fetch_all(&mut **tx)
    .await?;
    let shown: Vec<String> = phones
        .iter()
        .filter_map(|p| Phone::parse(p))
        .map(|p| p.to_string())
        .collect();
    sqlx::query(
        "update outbox_job set text = null
         where kind = 'staff' and status <> 'pending' and text is not null
           and exists (select 1 from unnest($1::text[]) as p where strpos(outbox_job.text, p) > 0)",
    )
    .bind(&shown)
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "update outbox_job set status = case when status = 'pending' then 'withdrawn' else status end,
                outcome = case when status = 'pending' then 'the person erased their data' else outcome end,
                done_at = coalesce(done_at, $2), text = null, keyboard = null
         where chat_id = $1 and kind <> 'staff'",
    )
    .bind(telegram_id)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    let anonymised = sqlx::query(
        "update booking set name = '', phone = '', telegram_id = 0, chat_id = 0, anonymised_at = $2
         where telegram_id = $1",
    )
    .bind(telegram_id)
    .bind(now)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    let waiting = sqlx::query("delete from waiting where telegram_id = $1")
        .bind(telegram_id)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    let subscriptions = sqlx::query("delete from subscription where telegram_id = $1")
        .bind(telegram_id)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    sqlx::query("delete from dialogue where chat_id = $1")
        .bind(telegram_id)
        .execute(&mut **tx)
        .await?;
    sqlx::query(
        "update telegram_user set language = null, consent_at = null, discreet_reminders = false,
                unreachable_since = null
         where telegram_id = $1",
    )
    .bind(telegram_id)
    .execute(&mut **tx)
    .await?;
    Ok(Forgotten {
        anonymised: anonymised.saturating_sub(cancelled.len() as u64),
        cancelled,
        waiting,
        subscriptions,
    })
}

/// What [`erase_older_than`] erased.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Erased {
    pub visits: u64,
    pub waiting: u64,
    pub messages: u64,
}

/// Erases the names and phones of visits over (or cancelled, or offers expired) before `cutoff`,
/// of waiting-list entries no longer waiting since before it, and the texts of staff notices,
/// closure messages and held-back replies (with their buttons) sent (or given up) before it.
/// Idempotent, and safe with several processes: each row is changed once, under its row lock.
pub async fn erase_older_than(
    pool: &PgPool,
    cutoff: DateTime<Utc>,
    now: DateTime<Utc>,
) -> sqlx::Result<Erased> {
    let visits = sqlx::query(
        "update booking set name = '', phone = '', telegram_id = 0, chat_id = 0, anonymised_at = $2
         where anonymised_at is null
           and ((status in ('active', 'held') and slot_end < $1)
             or (status in ('cancelled', 'expired')
                 and coalesce(cancelled_at, held_until, created_at) < $1))",
    )
    .bind(cutoff)
    .bind(now)
    .execute(pool)
    .await?
    .rows_affected();
    let waiting = sqlx::query(
        "update waiting set name = '', phone = '', telegram_id = 0, chat_id = 0, anonymised_at = $2
         where anonymised_at is null and status not in ('waiting', 'offered') and created_at < $1",
    )
    .bind(cutoff)
    .bind(now)
    .execute(pool)
    .await?
    .rows_affected();
    let messages = sqlx::query(
        "update outbox_job set text = null, keyboard = null
         where text is not null and status <> 'pending' and kind in ('staff', 'closure', 'reply')
           and coalesce(done_at, created_at) < $1",
    )
    .bind(cutoff)
    .execute(pool)
    .await?
    .rows_affected();
    Ok(Erased {
        visits,
        waiting,
        messages,
    })
}
