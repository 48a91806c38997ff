//! The `group_chat` table: the groups and channels already told that the bot works in private
//! chats only, so that each is told once.

use chrono::{DateTime, Utc};
use sqlx::PgPool;

/// Records that the group `chat_id` is told now; false when it was told before.
pub async fn first_word(pool: &PgPool, chat_id: i64, now: DateTime<Utc>) -> sqlx::Result<bool> {
    let inserted = sqlx::query(
        "insert into group_chat (chat_id, told_at) values ($1, $2) on conflict (chat_id) do nothing",
    )
    .bind(chat_id)
    .bind(now)
    .execute(pool)
    .await?;
    Ok(inserted.rows_affected() == 1)
}
