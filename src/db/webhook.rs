//! The `webhook_update` table: the claim on each update posted to the webhook, so that an update
//! delivered twice, or to two replicas, is handled by one process once. Times are the database's
//! (`now()`), the one clock every replica shares.

use std::time::Duration;

use sqlx::PgPool;

/// What a delivery of an update found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Claim {
    /// This process holds the update now (the first delivery, or one whose holder died).
    Taken,
    /// Another delivery holds it (here or on another replica) and has not finished it.
    InHand,
    /// It was handled already.
    Done,
}

/// Claims `update_id` for `taker` in one statement: a new update, or one whose claim is older
/// than `stale` and not done (its holder died), is taken; otherwise says who has it.
pub async fn claim(
    pool: &PgPool,
    update_id: i64,
    taker: &str,
    stale: Duration,
) -> sqlx::Result<Claim> {
    let stale_ms = i64::try_from(stale.as_millis()).unwrap_or(i64::MAX);
    let row: (bool, bool) = sqlx::query_as(
        "with taken as (
             insert into webhook_update (update_id, taken_by, taken_at)
             values ($1, $2, now())
             on conflict (update_id) do update
                 set taken_by = excluded.taken_by, taken_at = excluded.taken_at
                 where webhook_update.done_at is null
                   and webhook_update.taken_at < now() - make_interval(secs => $3::float8 / 1000)
             returning update_id
         )
         select exists (select 1 from taken),
                exists (select 1 from webhook_update where update_id = $1 and done_at is not null)",
    )
    .bind(update_id)
    .bind(taker)
    .bind(stale_ms)
    .fetch_one(pool)
    .await?;
    Ok(match row {
        (true, _) => Claim::Taken,
        (false, true) => Claim::Done,
        (false, false) => Claim::InHand,
    })
}

/// Marks `update_id` handled (by `taker`, which holds it; a claim taken over since is not touched).
pub async fn done(pool: &PgPool, update_id: i64, taker: &str) -> sqlx::Result<()> {
    sqlx::query(
        "update webhook_update set done_at = now()
         where update_id = $1 and taken_by = $2 and done_at is null",
    )
    .bind(update_id)
    .bind(taker)
    .execute(pool)
    .await?;
    Ok(())
}

/// Gives up the claim on an update this process could not take in (it is stopping), so that
/// Telegram's next delivery, to any replica, is handled at once.
pub async fn release(pool: &PgPool, update_id: i64, taker: &str) -> sqlx::Result<()> {
    sqlx::query(
        "delete from webhook_update where update_id = $1 and taken_by = $2 and done_at is null",
    )
    .bind(update_id)
    .bind(taker)
    .execute(pool)
    .await?;
    Ok(())
}

/// Forgets claims older than `age` (Telegram keeps an update for at most a day); how many.
pub async fn expire(pool: &PgPool, age: Duration) -> sqlx::Result<u64> {
    let age_s = i64::try_from(age.as_secs()).unwrap_or(i64::MAX);
    let deleted = sqlx::query(
        "delete from webhook_update where taken_at < now() - make_interval(secs => $1::float8)",
    )
    .bind(age_s)
    .execute(pool)
    .await?;
    Ok(deleted.rows_affected())
}
