//! How long a reply waits for the database. A busy database is waited for: under load the pool
//! queues, and a person's typed name must never be taken for a question because a read was slow.
//! A database that has just failed to answer is given only a moment, so that hours and addresses
//! are still answered at once without it; after a while, or after one answer, it is waited for
//! again.

use std::{
    future::Future,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

/// How long a read waits for a database that is answering (also the pool's acquire timeout).
pub const BUSY_PATIENCE: Duration = Duration::from_secs(10);
/// How long a read waits for a database that has just failed.
pub const DOWN_PATIENCE: Duration = Duration::from_millis(1500);
/// How long after a failure reads are given only [`DOWN_PATIENCE`] (unless one succeeds).
const DOWN_FOR: Duration = Duration::from_secs(30);

/// Why a read gave no answer.
#[derive(Debug, thiserror::Error)]
pub enum Unanswered {
    #[error("the database did not answer within {0:?}")]
    TimedOut(Duration),
    #[error(transparent)]
    Failed(#[from] sqlx::Error),
}

/// Whether the database failed lately; shared by everything that reads on a person's behalf.
#[derive(Clone, Debug, Default)]
pub struct Health {
    failed_at: Arc<Mutex<Option<Instant>>>,
}

impl Health {
    fn failed_at(&self) -> std::sync::MutexGuard<'_, Option<Instant>> {
        self.failed_at
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// How long the next read may wait.
    pub fn patience(&self) -> Duration {
        match *self.failed_at() {
            Some(at) if at.elapsed() < DOWN_FOR => DOWN_PATIENCE,
            _ => BUSY_PATIENCE,
        }
    }

    /// Remembers that the database just failed to answer (a write, or an update given up).
    pub fn failed(&self) {
        *self.failed_at() = Some(Instant::now());
    }

    /// Runs `read` within the current patience and remembers how it went.
    pub async fn ask<T>(
        &self,
        read: impl Future<Output = sqlx::Result<T>>,
    ) -> Result<T, Unanswered> {
        let patience = self.patience();
        let outcome = match tokio::time::timeout(patience, read).await {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(error)) => Err(Unanswered::Failed(error)),
            Err(_) => Err(Unanswered::TimedOut(patience)),
        };
        *self.failed_at() = match outcome {
            Ok(_) => None,
            Err(_) => Some(Instant::now()),
        };
        outcome
    }
}

/// Whether `error` says the database is out of reach (the connection reset or refused, the pool
/// waited in vain, the server shutting down or cancelling on a timeout), rather than a refusal of
/// what was asked.
pub fn is_unreachable(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::Protocol(_)
        | sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::WorkerCrashed => true,
        // Connection exceptions (08…), a statement or lock timeout (57014, 55P03), and the server
        // shutting down (57P01 to 57P03).
        sqlx::Error::Database(refusal) => refusal.code().is_some_and(|code| {
            code.starts_with("08")
                || matches!(&*code, "57014" | "55P03" | "57P01" | "57P02" | "57P03")
        }),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_failure_shortens_the_patience_until_an_answer() {
        let health = Health::default();
        assert_eq!(health.patience(), BUSY_PATIENCE);
        let failed = health
            .ask(async { Err::<(), _>(sqlx::Error::PoolClosed) })
            .await;
        assert!(matches!(failed, Err(Unanswered::Failed(_))));
        assert_eq!(health.patience(), DOWN_PATIENCE);
        assert_eq!(health.ask(async { Ok(1) }).await.ok(), Some(1));
        assert_eq!(health.patience(), BUSY_PATIENCE);
    }

    #[tokio::test(start_paused = true)]
    async fn a_slow_read_is_waited_for_while_the_database_answers() {
        let health = Health::default();
        let slow = health.ask(async {
            tokio::time::sleep(Duration::from_secs(5)).await;
            Ok(7)
        });
        assert_eq!(slow.await.ok(), Some(7), "five seconds is within patience");
        let hung = health.ask(std::future::pending::<sqlx::Result<()>>());
        assert!(matches!(
            hung.await,
            Err(Unanswered::TimedOut(BUSY_PATIENCE))
        ));
        assert_eq!(health.patience(), DOWN_PATIENCE);
    }
}
