//! The `telegram_user` table: who has written to the bot, and the language they chose.

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
