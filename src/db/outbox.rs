//! The `outbox_job` table: a durable queue of messages the bot sends on its own. Jobs are written
//! in the caller's transaction; a worker claims due ones in a short transaction
//! (`FOR UPDATE SKIP LOCKED`, with a lease and an attempt number) and records the outcome only if
//! its claim still stands.

use chrono::{DateTime, Duration, Utc};
use sqlx::{PgPool, Postgres, Transaction};

/// A job to write.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NewJob {
    Reminder {
        booking_id: i64,
        chat_id: i64,
        due_at: DateTime<Utc>,
    },
    /// A slot held for someone on the waiting list, sent at `due_at` (in the day, not at night).
    Offer {
        booking_id: i64,
        chat_id: i64,
        due_at: DateTime<Utc>,
    },
    /// An offer not taken in time, told at `due_at` (in the day, not at night).
    OfferExpired {
        booking_id: i64,
        chat_id: i64,
        due_at: DateTime<Utc>,
    },
    Staff {
        chat_id: i64,
        text: String,
    },
    /// A visit the staff moved: the person is told its new time.
    Moved {
        booking_id: i64,
        chat_id: i64,
    },
    /// A visit cancelled by a closure: the person is told why (`reason`) and offered a new slot.
    Closure {
        booking_id: i64,
        chat_id: i64,
        reason: String,
    },
    /// A reply to a person that Telegram held back longer than a handler waits: sent as it was
    /// written (the text, and the inline keyboard as Bot API JSON) at `due_at`.
    Reply {
        chat_id: i64,
        text: String,
        keyboard: Option<serde_json::Value>,
        due_at: DateTime<Utc>,
    },
}

impl NewJob {
    /// The same notice to each of the staff `chats`.
    pub fn to_staff_chats(chats: &[i64], text: &str) -> Vec<NewJob> {
        chats
            .iter()
            .map(|chat| NewJob::Staff {
                chat_id: *chat,
                text: text.to_owned(),
            })
            .collect()
    }
}

/// Writes jobs in the caller's transaction, due at `now` unless they say otherwise, and wakes the
/// workers when it commits.
pub async fn enqueue(
    tx: &mut Transaction<'_, Postgres>,
    jobs: &[NewJob],
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    for job in jobs {
        let mut keyboard = None;
        let (kind, booking_id, chat_id, text, due_at) = match job {
            NewJob::Reminder {
                booking_id,
                chat_id,
                due_at,
            } => (Kind::Reminder, Some(*booking_id), *chat_id, None, *due_at),
            NewJob::Offer {
                booking_id,
                chat_id,
                due_at,
            } => (Kind::Offer, Some(*booking_id), *chat_id, None, *due_at),
            NewJob::OfferExpired {
                booking_id,
                chat_id,
                due_at,
            } => (
                Kind::OfferExpired,
                Some(*booking_id),
                *chat_id,
                None,
                *due_at,
            ),
            NewJob::Moved {
                booking_id,
                chat_id,
            } => (Kind::Moved, Some(*booking_id), *chat_id, None, now),
            NewJob::Closure {
                booking_id,
                chat_id,
                reason,
            } => (
                Kind::Closure,
                Some(*booking_id),
                *chat_id,
                Some(reason.as_str()),
                now,
            ),
            NewJob::Staff { chat_id, text } => {
                (Kind::Staff, None, *chat_id, Some(text.as_str()), now)
            }
            NewJob::Reply {
                chat_id,
                text,
                keyboard: markup,
                due_at,
            } => {
                keyboard = markup.as_ref();
                (Kind::Reply, None, *chat_id, Some(text.as_str()), *due_at)
            }
        };
        sqlx::query(
            "insert into outbox_job (kind, booking_id, chat_id, text, due_at, created_at, keyboard) values ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(kind.as_str())
        .bind(booking_id)
        .bind(chat_id)
        .bind(text)
        .bind(due_at)
        .bind(now)
        .bind(keyboard.map(sqlx::types::Json))
        .execute(&mut **tx)
        .await?;
    }
    if !jobs.is_empty() {
        sqlx::query("select pg_notify('outbox', '')")
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// Withdraws a booking's pending reminders (it was cancelled or moved), in the caller's transaction.
pub async fn withdraw_reminders(
    tx: &mut Transaction<'_, Postgres>,
    booking_id: i64,
    now: DateTime<Utc>,
) -> sqlx::Result<u64> {
    let done = sqlx::query(
        "update outbox_job set status = 'withdrawn', outcome = 'the booking changed', done_at = $2
         where booking_id = $1 and kind = 'reminder' and status = 'pending'",
    )
    .bind(booking_id)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected())
}

/// What a job sends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A reminder of a visit.
    Reminder,
    /// A freed slot offered to the first person waiting.
    Offer,
    /// The offer was not taken in time.
    OfferExpired,
    /// A notice to a staff chat (its text is stored with the job).
    Staff,
    /// A visit cancelled by a closure (the reason is stored with the job).
    Closure,
    /// An announcement to one subscriber (the text is the announcement's).
    Announcement,
    /// A visit the staff moved.
    Moved,
    /// A reply Telegram held back (its text and keyboard are stored with the job).
    Reply,
}

/// The outcome recorded when the person blocked the bot (announcements count these apart).
pub const BLOCKED: &str = "the person blocked the bot";

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Reminder => "reminder",
            Kind::Offer => "offer",
            Kind::OfferExpired => "offer_expired",
            Kind::Staff => "staff",
            Kind::Closure => "closure",
            Kind::Announcement => "announcement",
            Kind::Moved => "moved",
            Kind::Reply => "reply",
        }
    }
}

/// A stored job kind this version does not know (a newer version wrote it): the job stays
/// pending, and the claim fails loudly, rather than a job being dropped or sent wrongly.
#[derive(Debug, thiserror::Error)]
#[error("unknown outbox job kind {0:?}")]
pub struct UnknownKind(String);

impl TryFrom<String> for Kind {
    type Error = UnknownKind;

    fn try_from(text: String) -> Result<Self, UnknownKind> {
        match text.as_str() {
            "reminder" => Ok(Kind::Reminder),
            "offer" => Ok(Kind::Offer),
            "offer_expired" => Ok(Kind::OfferExpired),
            "staff" => Ok(Kind::Staff),
            "closure" => Ok(Kind::Closure),
            "announcement" => Ok(Kind::Announcement),
            "moved" => Ok(Kind::Moved),
            "reply" => Ok(Kind::Reply),
            _ => Err(UnknownKind(text)),
        }
    }
}

/// A claimed job.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Job {
    pub id: i64,
    #[sqlx(try_from = "String")]
    pub kind: Kind,
    pub booking_id: Option<i64>,
    pub chat_id: i64,
    pub text: Option<String>,
    pub due_at: DateTime<Utc>,
    pub attempts: i32,
    pub leased_attempt: Option<i32>,
    pub announcement_id: Option<i64>,
    /// A reply's inline keyboard, as Bot API JSON.
    pub keyboard: Option<sqlx::types::Json<serde_json::Value>>,
}

/// Deliveries in flight into one chat, by every worker together: Telegram lets one message a
/// second into a chat, so a claim takes no more of a chat's jobs than will be sent soon (written
/// into [`CLAIM`] as a number).
pub const PER_CHAT: usize = 3;

/// The claim query: due, pending, not under someone else's live lease, not for a chat this worker
/// already has enough in flight for ($4), and no more of one chat's jobs than make [`PER_CHAT`]
/// with those under a live lease (any worker's); oldest first. The claimable conditions are
/// repeated on the locked row: a row another worker claimed meanwhile is rechecked by
/// PostgreSQL there (not in a CTE), so it is never claimed twice.
pub const CLAIM: &str = "with leased as (
        select chat_id, count(*) as n from outbox_job
        where status = 'pending' and lease_until >= $1
        group by chat_id
    ), ranked as (
        select id, chat_id, due_at, row_number() over (partition by chat_id order by due_at, id) as nth
        from outbox_job
        where status = 'pending' and due_at <= $1 and (lease_until is null or lease_until < $1)
          and chat_id <> all($4)
    ), due as (
        select j.id from outbox_job j
        join ranked r on r.id = j.id
        left join leased l on l.chat_id = r.chat_id
        where r.nth + coalesce(l.n, 0) <= 3
          -- Again on the row locked: one claimed by another worker since the snapshot is
          -- rechecked here (in ranked it is not) and passed over.
          and j.status = 'pending' and (j.lease_until is null or j.lease_until < $1)
        order by r.due_at
        limit $2
        for update of j skip locked
    )
    update outbox_job j
    set attempts = j.attempts + 1, leased_attempt = j.attempts + 1, lease_until = $3
    from due where j.id = due.id
    returning j.id, j.kind, j.booking_id, j.chat_id, j.text, j.due_at, j.attempts, j.leased_attempt,
              j.announcement_id, j.keyboard";

/// Claims up to `limit` due jobs for `lease`, none for the chats in `skip`, at most [`PER_CHAT`]
/// in flight into one chat.
pub async fn claim(
    pool: &PgPool,
    now: DateTime<Utc>,
    limit: i64,
    lease: Duration,
    skip: &[i64],
) -> sqlx::Result<Vec<Job>> {
    sqlx::query_as(CLAIM)
        .bind(now)
        .bind(limit)
        .bind(now + lease)
        .bind(skip)
        .fetch_all(pool)
        .await
}

/// Gives a claimed job back unsent (its worker stops before it started): claimable at once by
/// another worker, and the attempt not counted. False when the claim no longer stands.
pub async fn release(pool: &PgPool, job: &Job) -> sqlx::Result<bool> {
    let attempt = job.leased_attempt.unwrap_or(job.attempts);
    let done = sqlx::query(
        "update outbox_job
         set lease_until = null, leased_attempt = null, attempts = attempts - 1
         where id = $1 and leased_attempt = $2 and status = 'pending'",
    )
    .bind(job.id)
    .bind(attempt)
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// How a job ended (or why it goes round again).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Sent,
    /// No longer useful (the visit started, the booking was cancelled…), with why.
    Dropped(String),
    /// Given up, with why.
    Failed(String),
    /// To be tried again at this time.
    Retry(DateTime<Utc>, String),
}

/// Records the outcome if the claim under `attempt` still stands; false when it was refused (the
/// lease ran out and another worker took the job).
pub async fn finish(
    pool: &PgPool,
    job: &Job,
    outcome: &Outcome,
    now: DateTime<Utc>,
) -> sqlx::Result<bool> {
    let attempt = job.leased_attempt.unwrap_or(job.attempts);
    let (status, due_at, why) = match outcome {
        Outcome::Sent => ("sent", None, None),
        Outcome::Dropped(why) => ("dropped", None, Some(why.as_str())),
        Outcome::Failed(why) => ("failed", None, Some(why.as_str())),
        Outcome::Retry(at, why) => ("pending", Some(*at), Some(why.as_str())),
    };
    let done = sqlx::query(
        "update outbox_job
         set status = $3, due_at = coalesce($4, due_at), outcome = $5, lease_until = null,
             done_at = case when $3 = 'pending' then null else $6 end
         where id = $1 and leased_attempt = $2 and status = 'pending'",
    )
    .bind(job.id)
    .bind(attempt)
    .bind(status)
    .bind(due_at)
    .bind(why)
    .bind(now)
    .execute(pool)
    .await?;
    if matches!(outcome, Outcome::Retry(..)) {
        // The job has a new due time: let sleeping workers recompute theirs.
        sqlx::query("select pg_notify('outbox', '')")
            .execute(pool)
            .await?;
    }
    Ok(done.rows_affected() == 1)
}

/// When the next pending job can be claimed: when it is due, or, for a job under a lease, when
/// that lease ends (a job in flight is not due again while its worker holds it); the chats in
/// `skip` are left out (the worker waits for one of their deliveries to end instead).
pub async fn next_due(pool: &PgPool, skip: &[i64]) -> sqlx::Result<Option<DateTime<Utc>>> {
    sqlx::query_scalar(
        "select min(greatest(due_at, coalesce(lease_until, due_at))) from outbox_job
         where status = 'pending' and chat_id <> all($1)",
    )
    .bind(skip)
    .fetch_one(pool)
    .await
}

/// Extends the lease of a job still held under its claim until `until` (its message waits in
/// Telegram's limits, or is being sent); false when the claim no longer stands.
pub async fn extend_lease(pool: &PgPool, job: &Job, until: DateTime<Utc>) -> sqlx::Result<bool> {
    let attempt = job.leased_attempt.unwrap_or(job.attempts);
    let done = sqlx::query(
        "update outbox_job set lease_until = $3
         where id = $1 and leased_attempt = $2 and status = 'pending'",
    )
    .bind(job.id)
    .bind(attempt)
    .bind(until)
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Counts by status, and the next due time.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    pub pending: i64,
    pub sent: i64,
    pub failed: i64,
    pub dropped: i64,
    pub withdrawn: i64,
    pub next_due: Option<DateTime<Utc>>,
}

pub async fn stats(pool: &PgPool) -> sqlx::Result<Stats> {
    let rows: Vec<(String, i64)> =
        sqlx::query_as("select status, count(*) from outbox_job group by status")
            .fetch_all(pool)
            .await?;
    let mut stats = Stats {
        next_due: next_due(pool, &[]).await?,
        ..Stats::default()
    };
    for (status, count) in rows {
        match status.as_str() {
            "pending" => stats.pending = count,
            "sent" => stats.sent = count,
            "failed" => stats.failed = count,
            "dropped" => stats.dropped = count,
            "withdrawn" => stats.withdrawn = count,
            _ => {}
        }
    }
    Ok(stats)
}

/// Marks a person unreachable (they blocked the bot).
pub async fn mark_unreachable(pool: &PgPool, chat_id: i64, now: DateTime<Utc>) -> sqlx::Result<()> {
    sqlx::query(
        "insert into telegram_user (telegram_id, first_seen, last_seen, unreachable_since) values ($1, $2, $2, $2)
         on conflict (telegram_id) do update set unreachable_since = coalesce(telegram_user.unreachable_since, $2)",
    )
    .bind(chat_id)
    .bind(now)
    .execute(pool)
    .await?;
    Ok(())
}

pub async fn is_unreachable(pool: &PgPool, chat_id: i64) -> sqlx::Result<bool> {
    let since: Option<Option<DateTime<Utc>>> =
        sqlx::query_scalar("select unreachable_since from telegram_user where telegram_id = $1")
            .bind(chat_id)
            .fetch_optional(pool)
            .await?;
    Ok(since.flatten().is_some())
}

/// When the oldest pending job that is due at `now` was due (none when nothing waits), for
/// `/metrics`: how far the queue is behind.
pub async fn oldest_due(pool: &PgPool, now: DateTime<Utc>) -> sqlx::Result<Option<DateTime<Utc>>> {
    sqlx::query_scalar(
        "select min(due_at) from outbox_job where status = 'pending' and due_at <= $1",
    )
    .bind(now)
    .fetch_one(pool)
    .await
}

#[cfg(test)]
mod tests {
    use super::{CLAIM, PER_CHAT};

    #[test]
    fn the_claim_caps_a_chat_at_per_chat() {
        assert!(CLAIM.contains(&format!("coalesce(l.n, 0) <= {PER_CHAT}\n")));
    }
}
