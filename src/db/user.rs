//! The `telegram_user` table: who has written to the bot, and the language they chose.
//! `last_seen` of people already known is not written with each update: [`Seen`] gathers it and
//! writes it every few seconds in one statement (and when the bot stops).

use std::{collections::HashMap, sync::Mutex};

use chrono::{DateTime, Utc};
use sqlx::PgPool;

use crate::i18n::Lang;

/// Records that the user was seen now (first time or again; one who writes is reachable again)
/// and returns their chosen language.
pub async fn touch(
    pool: &PgPool,
    telegram_id: i64,
    now: DateTime<Utc>,
) -> sqlx::Result<Option<Lang>> {
    let language: Option<String> = sqlx::query_scalar(
        "insert into telegram_user (telegram_id, first_seen, last_seen) values ($1, $2, $2)
         on conflict (telegram_id) do update set last_seen = excluded.last_seen, unreachable_since = null
         returning language",
    )
    .bind(telegram_id)
    .bind(now)
    .fetch_one(pool)
    .await?;
    Ok(language.as_deref().and_then(Lang::from_code))
}

/// The language the user chose, if any.
pub async fn language(pool: &PgPool, telegram_id: i64) -> sqlx::Result<Option<Lang>> {
    let language: Option<Option<String>> =
        sqlx::query_scalar("select language from telegram_user where telegram_id = $1")
            .bind(telegram_id)
            .fetch_optional(pool)
            .await?;
    Ok(language.flatten().as_deref().and_then(Lang::from_code))
}

/// Remembers the user's choice of language.
pub async fn set_language(
    pool: &PgPool,
    telegram_id: i64,
    lang: Lang,
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    sqlx::query(
        "insert into telegram_user (telegram_id, language, first_seen, last_seen) values ($1, $2, $3, $3)
         on conflict (telegram_id) do update set language = excluded.language, last_seen = excluded.last_seen",
    )
    .bind(telegram_id)
    .bind(lang.code())
    .bind(now)
    .execute(pool)
    .await?;
    Ok(())
}

/// Updates `last_seen` of people already known, in one statement; one who writes is reachable
/// again (unless found unreachable after writing). Returns how many rows were updated.
pub async fn seen(pool: &PgPool, people: &[(i64, DateTime<Utc>)]) -> sqlx::Result<u64> {
    let (ids, times): (Vec<i64>, Vec<DateTime<Utc>>) = people.iter().copied().unzip();
    let done = sqlx::query(
        "update telegram_user u
         set last_seen = greatest(u.last_seen, s.at),
             unreachable_since = case when u.unreachable_since <= s.at then null
                                      else u.unreachable_since end
         from unnest($1::bigint[], $2::timestamptz[]) as s(id, at)
         where u.telegram_id = s.id",
    )
    .bind(ids)
    .bind(times)
    .execute(pool)
    .await?;
    Ok(done.rows_affected())
}

/// When known people were last seen, not yet written.
#[derive(Debug, Default)]
pub struct Seen {
    pending: Mutex<HashMap<i64, DateTime<Utc>>>,
}

impl Seen {
    fn pending(&self) -> std::sync::MutexGuard<'_, HashMap<i64, DateTime<Utc>>> {
        self.pending
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Notes that `telegram_id` (who has a row) was seen at `at`.
    pub fn note(&self, telegram_id: i64, at: DateTime<Utc>) {
        let mut pending = self.pending();
        let seen = pending.entry(telegram_id).or_insert(at);
        *seen = (*seen).max(at);
    }

    /// Writes what was noted, sorted by person (so that two processes writing at once lock rows
    /// in the same order); what could not be written is kept for the next time.
    pub async fn flush(&self, pool: &PgPool) -> sqlx::Result<u64> {
        let mut people: Vec<(i64, DateTime<Utc>)> = self.pending().drain().collect();
        if people.is_empty() {
            return Ok(0);
        }
        people.sort_unstable();
        match seen(pool, &people).await {
            Ok(written) => Ok(written),
            Err(error) => {
                for (person, at) in people {
                    self.note(person, at);
                }
                Err(error)
            }
        }
    }

    /// Writes what was noted of one person now (before their data is read back to them).
    pub async fn flush_one(&self, pool: &PgPool, telegram_id: i64) -> sqlx::Result<()> {
        let at = self.pending().remove(&telegram_id);
        if let Some(at) = at {
            if let Err(error) = seen(pool, &[(telegram_id, at)]).await {
                self.note(telegram_id, at);
                return Err(error);
            }
        }
        Ok(())
    }
}
