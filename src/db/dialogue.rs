//! Dialogue state in PostgreSQL: teloxide's [`Storage`] on the app's own pool and table.
//!
//! A state that no longer deserializes (the bot was upgraded mid-conversation) is not an error
//! that would leave the chat stuck: the storage hands back [`Recoverable::lost`], and the bot then
//! starts the person again from the menu with a word of explanation. A database that does not
//! answer (within [`Health`]'s patience) gives [`Recoverable::unknown`]: the conversation is not
//! known this time, and the bot must not act as if none were in progress. A dialogue untouched for
//! longer than the time to live counts as absent, and [`PgStorage::sweep`] deletes such rows.
//!
//! Each update gets a storage of its own ([`PgStorage::for_update`]) that knows the row read with
//! the update: a state written again unchanged is not written (unless the row is half-way to its
//! time to live, so that a conversation in progress does not expire), and a dialogue that was not
//! there is not deleted.

use std::{
    sync::{Arc, Mutex},
    time::Duration,
};

use super::{
    health::{Health, Unanswered},
    update::StoredDialogue,
};

use futures::future::BoxFuture;
use serde::{de::DeserializeOwned, Serialize};
use sqlx::PgPool;
use teloxide::{dispatching::dialogue::Storage, types::ChatId};

use crate::clock::Clock;

/// A dialogue state type that can say "the stored state was lost" and "it could not be read now".
pub trait Recoverable {
    /// The stored state no longer reads (the bot was upgraded mid-conversation).
    fn lost() -> Self;
    /// The database did not answer: whether a conversation is in progress is not known.
    fn unknown() -> Self;
}

pub struct PgStorage {
    pool: PgPool,
    health: Health,
    clock: Clock,
    ttl: chrono::Duration,
    /// The update's row as read with it and written since; none in the shared storage, which
    /// always writes.
    known: Option<Mutex<StoredDialogue>>,
}

#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("dialogue storage: {0}")]
    Database(#[from] sqlx::Error),
    #[error("dialogue state cannot be serialized: {0}")]
    Serialize(#[from] serde_json::Error),
}

impl PgStorage {
    pub fn new(pool: PgPool, health: Health, clock: Clock, ttl: Duration) -> Arc<Self> {
        let ttl = chrono::Duration::from_std(ttl).unwrap_or(chrono::Duration::hours(24));
        Arc::new(Self {
            pool,
            health,
            clock,
            ttl,
            known: None,
        })
    }

    /// The storage for one update, whose dialogue row was read with it.
    pub fn for_update(&self, stored: StoredDialogue) -> Arc<Self> {
        Arc::new(Self {
            pool: self.pool.clone(),
            health: self.health.clone(),
            clock: self.clock.clone(),
            ttl: self.ttl,
            known: Some(Mutex::new(stored)),
        })
    }

    /// The state the row read with an update holds: none when there is no row or it is older than
    /// the time to live, [`Recoverable::lost`] when it no longer reads.
    pub fn state<D: DeserializeOwned + Recoverable>(&self, stored: &StoredDialogue) -> Option<D> {
        match stored {
            StoredDialogue::Present(state, at) if *at >= self.clock.now() - self.ttl => {
                Some(from_stored(state.clone()))
            }
            _ => None,
        }
    }

    fn known(&self) -> Option<std::sync::MutexGuard<'_, StoredDialogue>> {
        self.known.as_ref().map(|known| {
            known
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
        })
    }

    /// Deletes dialogues untouched for longer than the time to live; returns how many.
    pub async fn sweep(&self) -> sqlx::Result<u64> {
        let cutoff = self.clock.now() - self.ttl;
        let done = sqlx::query("delete from dialogue where updated_at < $1")
            .bind(cutoff)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected())
    }
}

impl<D> Storage<D> for PgStorage
where
    D: Serialize + DeserializeOwned + Recoverable + Default + Send + 'static,
{
    type Error = StorageError;

    fn remove_dialogue(
        self: Arc<Self>,
        chat_id: ChatId,
    ) -> BoxFuture<'static, Result<(), StorageError>> {
        Box::pin(async move {
            if self
                .known()
                .is_some_and(|known| *known == StoredDialogue::Absent)
            {
                return Ok(());
            }
            sqlx::query("delete from dialogue where chat_id = $1")
                .bind(chat_id.0)
                .execute(&self.pool)
                .await?;
            if let Some(mut known) = self.known() {
                *known = StoredDialogue::Absent;
            }
            Ok(())
        })
    }

    fn update_dialogue(
        self: Arc<Self>,
        chat_id: ChatId,
        dialogue: D,
    ) -> BoxFuture<'static, Result<(), StorageError>> {
        Box::pin(async move {
            let state = serde_json::to_value(&dialogue)?;
            let now = self.clock.now();
            let unchanged = match self.known().as_deref() {
                None => false,
                Some(StoredDialogue::Present(stored, at)) => {
                    *stored == state && *at >= now - self.ttl / 2
                }
                Some(StoredDialogue::Absent) => state == serde_json::to_value(D::default())?,
            };
            if unchanged {
                return Ok(());
            }
            sqlx::query(
                "insert into dialogue (chat_id, state, updated_at) values ($1, $2, $3)
                 on conflict (chat_id) do update set state = excluded.state, updated_at = excluded.updated_at",
            )
            .bind(chat_id.0)
            .bind(&state)
            .bind(now)
            .execute(&self.pool)
            .await?;
            if let Some(mut known) = self.known() {
                *known = StoredDialogue::Present(state, now);
            }
            Ok(())
        })
    }

    /// A database that does not answer gives [`Recoverable::unknown`], handed back so that nothing
    /// is written: questions are still answered (hours and addresses need no database), and
    /// anything else is asked for again once the database answers.
    fn get_dialogue(
        self: Arc<Self>,
        chat_id: ChatId,
    ) -> BoxFuture<'static, Result<Option<D>, StorageError>> {
        Box::pin(async move {
            let cutoff = self.clock.now() - self.ttl;
            let read = sqlx::query_scalar(
                "select state from dialogue where chat_id = $1 and updated_at >= $2",
            )
            .bind(chat_id.0)
            .bind(cutoff)
            .fetch_optional(&self.pool);
            let state: Option<serde_json::Value> = match self.health.ask(read).await {
                Ok(state) => state,
                Err(Unanswered::Failed(error)) => {
                    tracing::warn!(%error, "cannot read the dialogue; answering without it");
                    return Ok(Some(D::unknown()));
                }
                Err(Unanswered::TimedOut(patience)) => {
                    tracing::warn!(
                        ?patience,
                        "the dialogue read timed out; answering without it"
                    );
                    return Ok(Some(D::unknown()));
                }
            };
            Ok(state.map(from_stored))
        })
    }
}

/// A stored state, or [`Recoverable::lost`] when it no longer reads.
fn from_stored<D: DeserializeOwned + Recoverable>(state: serde_json::Value) -> D {
    serde_json::from_value(state).unwrap_or_else(|error: serde_json::Error| {
        // Only the kind of error: its message may quote a stored name or phone number.
        let kind = error.classify();
        tracing::warn!(
            ?kind,
            "a stored dialogue state no longer reads; starting over"
        );
        D::lost()
    })
}
