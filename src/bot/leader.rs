//! Who polls Telegram: among several `okienko run` processes of one bot on one database, only one
//! asks for updates (Telegram answers 409 to a second `getUpdates`). It is the one holding a
//! PostgreSQL session-level advisory lock, keyed by the bot's id and its Bot API server, on a
//! connection of its own (not a pooled one, which would hand the lock to whoever borrows it next).
//! The others serve the outbox and the other workers, and try for the lock every [`RETRY`]; when
//! the poller stops or its connection dies, the lock is released and one of them takes over.
//!
//! The poller pings its lock connection every [`CHECK`] (a protocol-level round trip, which runs
//! no statement and so adds nothing to the database's transaction counts); when that fails, it
//! takes the lock again on a new connection, and stops polling at once when another process holds it (the
//! updates it already fetched are still answered), then competes again. While the database does
//! not answer at all, it polls on: nobody can take the lock through a database that is away, and
//! people are still answered (with an apology where their request needs the database). On a
//! graceful stop, polling ends as teloxide ends it (a last `getUpdates` that acknowledges the
//! updates taken), and the lock is released right after, before the updates in hand are finished,
//! so that a process started at once takes over within seconds and never sees them again.

use std::{sync::Arc, time::Duration};

use futures::{channel::mpsc, future::BoxFuture, SinkExt, Stream, StreamExt};
use sqlx::{postgres::PgConnectOptions, Connection, PgConnection};
use teloxide::{
    stop::{mk_stop_token, StopFlag, StopToken},
    types::{AllowedUpdate, Update},
    update_listeners::{AsUpdateStream, Polling, UpdateListener},
    Bot, RequestError,
};

use crate::ops::metrics;

/// How often a process that does not poll tries for the lock.
pub const RETRY: Duration = Duration::from_secs(2);
/// How often the poller makes sure its lock connection is alive.
pub const CHECK: Duration = Duration::from_secs(3);
/// How long a question on the lock connection may take before the connection counts as lost.
const PATIENCE: Duration = Duration::from_secs(3);
/// The lock connection's `application_name`, so that an operator (or a test) can tell it apart
/// from the pool's connections in `pg_stat_activity`.
pub const LOCK_APPLICATION_NAME: &str = "okienko polling lock";

/// The lock's name for the bot whose token is `token`, polling the Bot API server at `api_url`:
/// the bot's id (the token's part before the colon, which is public) and the server, so that
/// `okienko chat` (its own emulator) and another bot on the same database never wait for each
/// other, while every process of one deployment (one token, one server) competes.
pub fn lock_name(token: &str, api_url: &str) -> String {
    let id = token.split_once(':').map_or("", |(id, _)| id);
    format!("okienko.polling.{id}@{api_url}")
}

/// Builds the listener that polls, once this process holds the lock (again after each loss).
type Build = Arc<dyn Fn() -> BoxFuture<'static, Polling<Bot>> + Send + Sync>;

/// An update listener that polls only while this process holds the polling lock: until then (and
/// after losing it) its stream yields nothing and waits.
pub struct Elected {
    connect: PgConnectOptions,
    name: String,
    build: Build,
    allowed: Option<Vec<AllowedUpdate>>,
    token: StopToken,
    flag: Option<StopFlag>,
}

impl Elected {
    /// Competes for the lock `name` on connections made with `connect`; the poller's listener is
    /// made by `build`.
    pub fn new(
        connect: PgConnectOptions,
        name: String,
        build: impl Fn() -> BoxFuture<'static, Polling<Bot>> + Send + Sync + 'static,
    ) -> Self {
        metrics::polling_leader(false);
        let (token, flag) = mk_stop_token();
        Self {
            connect: connect.application_name(LOCK_APPLICATION_NAME),
            name,
            build: Arc::new(build),
            allowed: None,
            token,
            flag: Some(flag),
        }
    }
}

impl UpdateListener for Elected {
    type Err = RequestError;

    fn stop_token(&mut self) -> StopToken {
        self.token.clone()
    }

    fn hint_allowed_updates(&mut self, hint: &mut dyn Iterator<Item = AllowedUpdate>) {
        self.allowed = Some(hint.collect());
    }
}

impl AsUpdateStream<'_> for Elected {
    type StreamErr = RequestError;
    type Stream = Updates;

    /// The updates, from a task that competes for the lock and polls while it holds it. Called
    /// once per [`UpdateListener::stop_token`] (as the dispatcher does).
    fn as_stream(&mut self) -> Updates {
        let flag = match self.flag.take() {
            Some(flag) => flag,
            None => {
                let (token, flag) = mk_stop_token();
                self.token = token;
                flag
            }
        };
        // One update at a time: nothing is fetched ahead of what the dispatcher takes.
        let (sender, receiver) = mpsc::channel(1);
        let task = tokio::spawn(compete(
            self.connect.clone(),
            self.name.clone(),
            Arc::clone(&self.build),
            self.allowed.clone(),
            flag,
            sender,
        ));
        Updates { receiver, task }
    }
}

/// The updates of an [`Elected`] listener; dropping it ends the competition (the lock, if held,
/// goes with its connection).
pub struct Updates {
    receiver: mpsc::Receiver<Result<Update, RequestError>>,
    task: tokio::task::JoinHandle<()>,
}

impl Stream for Updates {
    type Item = Result<Update, RequestError>;

    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        self.receiver.poll_next_unpin(cx)
    }
}

impl Drop for Updates {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Waits for the lock, polls while it is held, and again; until `stop`.
async fn compete(
    connect: PgConnectOptions,
    name: String,
    build: Build,
    allowed: Option<Vec<AllowedUpdate>>,
    stop: StopFlag,
    mut sender: mpsc::Sender<Result<Update, RequestError>>,
) {
    let mut stop = std::pin::pin!(stop);
    loop {
        let lock = tokio::select! {
            () = stop.as_mut() => return,
            lock = acquire(&connect, &name) => lock,
        };
        metrics::polling_leader(true);
        tracing::info!("this process now polls Telegram for updates");
        let mut listener = tokio::select! {
            () = stop.as_mut() => {
                release(lock, &name).await;
                metrics::polling_leader(false);
                tracing::info!("this process stopped polling Telegram (stopping)");
                return;
            }
            listener = build() => listener,
        };
        if let Some(allowed) = &allowed {
            listener.hint_allowed_updates(&mut allowed.iter().cloned());
        }
        let polling = listener.stop_token();
        let mut lock = Some(lock);
        let mut stopping = false;
        let mut lost = false;
        {
            let mut updates = std::pin::pin!(listener.as_stream());
            let mut keeping = std::pin::pin!(keep(&mut lock, &connect, &name));
            loop {
                tokio::select! {
                    update = updates.next() => match update {
                        Some(update) => {
                            // The dispatcher is gone (the bot's task was aborted): nothing to do.
                            if sender.send(update).await.is_err() {
                                return;
                            }
                        }
                        // Polling ended, its last `getUpdates` acknowledging what was taken.
                        None => break,
                    },
                    () = stop.as_mut(), if !stopping => {
                        stopping = true;
                        polling.stop();
                    }
                    () = keeping.as_mut(), if !stopping && !lost => {
                        lost = true;
                        tracing::warn!("another process took the polling lock; polling stops");
                        polling.stop();
                    }
                }
            }
        }
        if let Some(lock) = lock {
            release(lock, &name).await;
        }
        metrics::polling_leader(false);
        if stopping {
            tracing::info!("this process stopped polling Telegram (stopping)");
            return;
        }
        tracing::info!("this process stopped polling Telegram; it tries to take over again");
    }
}

/// What one try for the lock found.
enum Take {
    Taken,
    /// Another process holds it.
    Held,
    /// The database did not answer (the connection, if any, is dropped).
    Unreachable(String),
}

/// Tries for the lock on `connection` (made first when there is none).
async fn try_take(
    connection: &mut Option<PgConnection>,
    connect: &PgConnectOptions,
    name: &str,
) -> Take {
    if connection.is_none() {
        match tokio::time::timeout(PATIENCE, PgConnection::connect_with(connect)).await {
            Ok(Ok(made)) => *connection = Some(made),
            Ok(Err(error)) => return Take::Unreachable(error.to_string()),
            Err(_) => return Take::Unreachable("no answer in time".into()),
        }
    }
    let Some(held) = connection.as_mut() else {
        return Take::Unreachable("no connection".into());
    };
    let asked = sqlx::query_scalar::<_, bool>("select pg_try_advisory_lock(hashtext($1))")
        .bind(name)
        .fetch_one(held);
    let taken = match tokio::time::timeout(PATIENCE, asked).await {
        Ok(Ok(taken)) => taken,
        Ok(Err(error)) => {
            *connection = None;
            return Take::Unreachable(error.to_string());
        }
        Err(_) => {
            *connection = None;
            return Take::Unreachable("no answer in time".into());
        }
    };
    if taken {
        Take::Taken
    } else {
        Take::Held
    }
}

/// A connection that holds the lock `name`, once it is free; tried every [`RETRY`].
async fn acquire(connect: &PgConnectOptions, name: &str) -> PgConnection {
    let mut connection: Option<PgConnection> = None;
    let mut said_waiting = false;
    let mut said_failing = false;
    loop {
        match try_take(&mut connection, connect, name).await {
            Take::Taken => {
                if let Some(lock) = connection.take() {
                    return lock;
                }
            }
            Take::Held => {
                said_failing = false;
                if !said_waiting {
                    said_waiting = true;
                    tracing::info!(
                        "another process polls Telegram; this one serves the outbox and waits to take over"
                    );
                }
            }
            Take::Unreachable(error) => {
                if !said_failing {
                    said_failing = true;
                    tracing::warn!(%error, "cannot ask the database for the polling lock");
                }
            }
        }
        tokio::time::sleep(RETRY).await;
    }
}

/// Keeps the lock while polling: asks its connection every [`CHECK`]; when that connection is
/// lost, takes the lock again on a new one. Ends only when another process holds the lock. While
/// the database does not answer at all, polling goes on (a process that cannot reach the database
/// is not the only one: none can take the lock through it), so people are still answered during
/// an outage; `lock` is then None until the lock is taken again.
async fn keep(lock: &mut Option<PgConnection>, connect: &PgConnectOptions, name: &str) {
    let mut said_unreachable = false;
    loop {
        tokio::time::sleep(CHECK).await;
        if let Some(held) = lock.as_mut() {
            if alive(held).await {
                continue;
            }
            *lock = None;
            tracing::warn!("the polling lock's database connection is lost; taking it again");
        }
        match try_take(lock, connect, name).await {
            Take::Taken => {
                said_unreachable = false;
                tracing::info!("the polling lock is held again");
            }
            Take::Held => {
                // That connection holds nothing: closed, not released.
                *lock = None;
                return;
            }
            Take::Unreachable(error) => {
                if !said_unreachable {
                    said_unreachable = true;
                    tracing::warn!(%error, "the database does not answer: polling goes on, and the lock is taken again once it does");
                }
            }
        }
    }
}

/// Whether the lock's connection still answers (and so still holds the lock). A ping is a bare
/// Sync message: the server answers it without starting a transaction, so checking every few
/// seconds costs the database nothing it counts.
async fn alive(lock: &mut PgConnection) -> bool {
    matches!(
        tokio::time::timeout(PATIENCE, lock.ping()).await,
        Ok(Ok(()))
    )
}

/// Gives the lock back and closes its connection (which would release it too).
async fn release(mut lock: PgConnection, name: &str) {
    let asked = sqlx::query("select pg_advisory_unlock(hashtext($1))")
        .bind(name)
        .execute(&mut lock);
    if !matches!(tokio::time::timeout(PATIENCE, asked).await, Ok(Ok(_))) {
        tracing::warn!("the polling lock was not released in time; its connection is closed");
    }
    let _ = tokio::time::timeout(PATIENCE, lock.close()).await;
}

#[cfg(test)]
mod tests {
    use super::lock_name;

    #[test]
    fn the_lock_is_named_by_the_bots_id_and_server_never_by_its_secret() {
        let name = lock_name("4242:secret-part", "https://api.telegram.org/");
        assert_eq!(name, "okienko.polling.4242@https://api.telegram.org/");
        assert!(!name.contains("secret"));
    }
}
