//! What an update needs from the database, in one read: whether the person is known, their
//! chosen language and whether they were found unreachable (`telegram_user`), the chat's dialogue
//! (`dialogue`), and the version of the closures table (`place_exception_version`), so that a
//! question costs one statement and writes nothing.

use chrono::{DateTime, Utc};
use sqlx::PgPool;

use crate::i18n::Lang;

/// The row of `dialogue` for a chat, as read.
#[derive(Clone, Debug, PartialEq)]
pub enum StoredDialogue {
    /// No row.
    Absent,
    /// A row, with its state and when it was last written.
    Present(serde_json::Value, DateTime<Utc>),
}

/// What the database holds for one update.
#[derive(Clone, Debug)]
pub struct Known {
    /// The person has a `telegram_user` row.
    pub person: bool,
    pub language: Option<Lang>,
    /// Messages to them failed as to someone who blocked the bot (cleared when they write).
    pub unreachable: bool,
    pub dialogue: StoredDialogue,
    /// The version of `place_exception` (see [`super::exception::Exceptions::as_of`]).
    pub exceptions: i64,
}

/// Reads what an update from `telegram_id` in `chat_id` needs, in one statement.
pub async fn read(pool: &PgPool, telegram_id: i64, chat_id: i64) -> sqlx::Result<Known> {
    type Row = (
        bool,
        Option<String>,
        bool,
        Option<serde_json::Value>,
        Option<DateTime<Utc>>,
        i64,
    );
    let (person, language, unreachable, state, updated_at, exceptions): Row = sqlx::query_as(
        "select u.telegram_id is not null, u.language, u.unreachable_since is not null,
                d.state, d.updated_at, v.version
         from place_exception_version v
         left join telegram_user u on u.telegram_id = $1
         left join dialogue d on d.chat_id = $2",
    )
    .bind(telegram_id)
    .bind(chat_id)
    .fetch_one(pool)
    .await?;
    let dialogue = match (state, updated_at) {
        (Some(state), Some(at)) => StoredDialogue::Present(state, at),
        _ => StoredDialogue::Absent,
    };
    Ok(Known {
        person,
        language: language.as_deref().and_then(Lang::from_code),
        unreachable,
        dialogue,
        exceptions,
    })
}
