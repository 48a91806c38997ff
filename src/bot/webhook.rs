//! Webhook mode (`OKIENKO_WEBHOOK_URL`): Telegram posts each update to the URL's path on the
//! operator's HTTP server (`OKIENKO_LISTEN`), with the secret in `X-Telegram-Bot-Api-Secret-Token`.
//! Our own axum handler, not teloxide's: the secret is compared in constant time, and nothing here
//! sets or deletes the webhook (that is `okienko webhook set|delete`, never a replica's start or
//! stop).
//!
//! Several replicas may run behind a load balancer, and Telegram delivers an update again when it
//! got no 2xx in time. So each update is first claimed in `webhook_update` ([`db::webhook`]) in one
//! statement: the first delivery takes it, and the answer waits (up to [`ANSWER_BOUND`]) until the
//! handler tree has finished it and it is marked done. A delivery of an update done already is
//! answered 200 at once; one of an update in hand elsewhere waits until that is done (200, and
//! no second effect) or its claim has gone stale: a claim left by a replica that died (older than
//! [`STALE`] and not done) is taken over, so Telegram's retry after a crash is not lost (nor
//! answered away while the claim is fresh: past [`ANSWER_BOUND`] the answer is 503, and Telegram
//! asks again). What is claimed then passes the [`gate`](super::gate) as in polling.
//!
//! Answers: 401 without detail for a wrong or missing secret; 413 for a body over [`MAX_BODY`];
//! 400 for a body that is not an update (logged without the body); 503 while the bot stops (the
//! claim is given back, so that Telegram's retry is handled by another replica). Nothing is taken
//! from `X-Forwarded-*`: behind a reverse proxy the secret alone says the post is Telegram's.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::Duration,
};

use axum::{
    extract::{DefaultBodyLimit, Request, State},
    http::{header::CONTENT_LENGTH, StatusCode},
    routing::post,
    Router,
};
use dptree::{di::DependencyMap, HandlerDescription, HandlerSignature};
use futures::{stream::BoxStream, StreamExt};
use sqlx::PgPool;
use subtle::ConstantTimeEq;
use teloxide::{
    dispatching::DpHandlerDescription,
    prelude::*,
    stop::{mk_stop_token, StopFlag, StopToken},
    types::AllowedUpdate,
    update_listeners::{AsUpdateStream, UpdateListener},
};
use tokio::sync::{mpsc, oneshot};

use super::{gate::Gate, HandlerResult};
use crate::{
    config::{self, Secret},
    db::{self, webhook::Claim},
    ops::metrics,
};

/// The header in which Telegram sends the secret given to setWebhook.
pub const SECRET_HEADER: &str = "x-telegram-bot-api-secret-token";
/// The largest body taken: an update is a few kilobytes.
pub const MAX_BODY: usize = 1024 * 1024;
/// How long a delivery's answer waits for the handlers (Telegram gives up at about a minute).
pub const ANSWER_BOUND: Duration = Duration::from_secs(50);
/// A claim older than this and not done belongs to a replica that died: it is taken over.
pub const STALE: Duration = Duration::from_secs(60);
/// How often a delivery of an update in hand elsewhere looks whether it is done.
const IN_HAND_POLL: Duration = Duration::from_millis(200);
/// Claims are forgotten after two days (Telegram keeps an undelivered update for one).
pub const KEEP: Duration = Duration::from_secs(2 * 24 * 3600);

/// What the HTTP handler and the handler tree share: the way in to the dispatcher, and the
/// deliveries waiting for their update to be finished.
pub struct Inbox {
    pool: PgPool,
    secret: Secret,
    gate: Arc<Gate>,
    /// This process, as it signs its claims.
    taker: String,
    updates: mpsc::UnboundedSender<Update>,
    waiting: Mutex<HashMap<i64, oneshot::Sender<()>>>,
    stopped: StopFlag,
}

/// The update listener the dispatcher reads: what the HTTP handler took in, until stopped.
pub struct Listener {
    updates: mpsc::UnboundedReceiver<Update>,
    stop: StopToken,
    stopped: StopFlag,
}

/// The inbox and its listener, for the webhook settings of `config`.
pub fn inbox(pool: PgPool, webhook: &config::Webhook, gate: Arc<Gate>) -> (Arc<Inbox>, Listener) {
    let (sender, updates) = mpsc::unbounded_channel();
    let (stop, stopped) = mk_stop_token();
    let taker = format!(
        "{}-{}",
        std::process::id(),
        chrono::Utc::now().timestamp_micros()
    );
    let inbox = Arc::new(Inbox {
        pool,
        secret: webhook.secret.clone(),
        gate,
        taker,
        updates: sender,
        waiting: Mutex::new(HashMap::new()),
        stopped: stopped.clone(),
    });
    let listener = Listener {
        updates,
        stop,
        stopped,
    };
    (inbox, listener)
}

impl Inbox {
    /// The route of the webhook, at `path`, for the operator's HTTP server.
    pub fn router(self: &Arc<Self>, path: &str) -> Router {
        Router::new()
            .route(path, post(receive))
            // The body is read with its own limit below, after the secret is checked.
            .layer(DefaultBodyLimit::disable())
            .with_state(Arc::clone(self))
    }

    fn secret_matches(&self, given: Option<&[u8]>) -> bool {
        let expected = self.secret.expose().as_bytes();
        given.is_some_and(|given| bool::from(given.ct_eq(expected)))
    }

    /// The handler tree has finished update `id` (whatever its outcome): it is marked done, then
    /// the delivery waiting for it is answered.
    async fn finished(&self, id: i64) {
        if let Err(error) = db::webhook::done(&self.pool, id, &self.taker).await {
            // Its claim goes stale: a later delivery of it would be handled again.
            tracing::warn!(update_id = id, %error, "cannot mark an update done");
        }
        let waiting = self.lock_waiting().remove(&id);
        if let Some(waiting) = waiting {
            let _ = waiting.send(());
        }
    }

    fn lock_waiting(&self) -> std::sync::MutexGuard<'_, HashMap<i64, oneshot::Sender<()>>> {
        self.waiting
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The dispatcher has stopped: the deliveries still waiting are told so (they answer 503).
    pub fn closed(&self) {
        self.lock_waiting().clear();
    }

    /// Sweeps old claims every hour, until the returned task is aborted.
    pub fn spawn_sweeper(self: &Arc<Self>) -> tokio::task::JoinHandle<()> {
        let pool = self.pool.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(3600));
            loop {
                tick.tick().await;
                match db::webhook::expire(&pool, KEEP).await {
                    Ok(0) => {}
                    Ok(swept) => tracing::info!(swept, "old webhook update claims removed"),
                    Err(error) => tracing::warn!(%error, "cannot sweep webhook update claims"),
                }
            }
        })
    }

    /// One delivery, once the secret is right and the body is an update.
    async fn take(&self, update: Update) -> StatusCode {
        let id = i64::from(update.id.0);
        if self.stopped.is_stopped() {
            metrics::webhook_post("unavailable");
            return StatusCode::SERVICE_UNAVAILABLE;
        }
        match self.claim(id).await {
            Ok(Claim::Taken) => metrics::webhook_post("taken"),
            Ok(Claim::Done) => {
                metrics::webhook_post("done_already");
                tracing::debug!(
                    update_id = id,
                    "an update delivered again was handled already"
                );
                return StatusCode::OK;
            }
            Ok(Claim::InHand) => {
                // Its holder neither finished it nor left it within the bound: Telegram is to
                // ask again later (by then it is done, or its claim stale and taken over).
                metrics::webhook_post("in_hand");
                tracing::info!(
                    update_id = id,
                    "an update delivered again is still in hand elsewhere; asked to retry"
                );
                return StatusCode::SERVICE_UNAVAILABLE;
            }
            Err(error) => {
                metrics::webhook_post("unavailable");
                // Telegram delivers it again later.
                tracing::warn!(update_id = id, %error, "cannot claim an update; not taken");
                return StatusCode::SERVICE_UNAVAILABLE;
            }
        }
        if !self.gate.admit(&update) {
            self.finished(id).await;
            return StatusCode::OK;
        }
        let (done, answered) = oneshot::channel();
        self.lock_waiting().insert(id, done);
        if self.stopped.is_stopped() || self.updates.send(update).is_err() {
            self.lock_waiting().remove(&id);
            self.give_back(id).await;
            metrics::webhook_post("unavailable");
            return StatusCode::SERVICE_UNAVAILABLE;
        }
        match tokio::time::timeout(ANSWER_BOUND, answered).await {
            Ok(Ok(())) => StatusCode::OK,
            // The dispatcher stopped before it reached the update.
            Ok(Err(_)) => {
                self.give_back(id).await;
                metrics::webhook_post("unavailable");
                StatusCode::SERVICE_UNAVAILABLE
            }
            // Still queued behind the chat's earlier updates: it is in hand and will be finished
            // here; a retry from Telegram would only find it in hand.
            Err(_) => {
                tracing::warn!(
                    update_id = id,
                    ?ANSWER_BOUND,
                    "an update is not finished in time; answered, and left in hand"
                );
                StatusCode::OK
            }
        }
    }

    /// Claims update `id`; when another delivery holds it, waits (up to [`ANSWER_BOUND`]) until
    /// that one has finished it ([`Claim::Done`]: answered 200 with no second effect) or its claim
    /// has gone stale (its replica died: taken over here). So a retry is answered 200 only once
    /// the update took effect, and an update whose replica died is never answered away.
    async fn claim(&self, id: i64) -> sqlx::Result<Claim> {
        let deadline = tokio::time::Instant::now() + ANSWER_BOUND;
        loop {
            let claim = db::webhook::claim(&self.pool, id, &self.taker, STALE).await?;
            if claim != Claim::InHand || tokio::time::Instant::now() >= deadline {
                return Ok(claim);
            }
            tokio::time::sleep(IN_HAND_POLL).await;
        }
    }

    async fn give_back(&self, id: i64) {
        if let Err(error) = db::webhook::release(&self.pool, id, &self.taker).await {
            tracing::warn!(update_id = id, %error, "cannot give back the claim on an update");
        }
    }
}

/// `POST <path>`: the secret, then the body, then the claim.
async fn receive(State(inbox): State<Arc<Inbox>>, request: Request) -> StatusCode {
    let given = request
        .headers()
        .get(SECRET_HEADER)
        .map(|value| value.as_bytes());
    if !inbox.secret_matches(given) {
        metrics::webhook_post("refused");
        tracing::warn!("a webhook post without the right secret was refused");
        return StatusCode::UNAUTHORIZED;
    }
    let declared = request
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<u64>().ok());
    if declared.is_some_and(|length| length > MAX_BODY as u64) {
        metrics::webhook_post("too_large");
        return StatusCode::PAYLOAD_TOO_LARGE;
    }
    let Ok(body) = axum::body::to_bytes(request.into_body(), MAX_BODY).await else {
        metrics::webhook_post("too_large");
        return StatusCode::PAYLOAD_TOO_LARGE;
    };
    let update = match serde_json::from_slice::<Update>(&body) {
        Ok(update) => update,
        Err(error) => {
            metrics::webhook_post("not_an_update");
            // The body may hold a person's words: only where it broke is logged.
            tracing::warn!(
                line = error.line(),
                column = error.column(),
                "a webhook post is not an update"
            );
            return StatusCode::BAD_REQUEST;
        }
    };
    // In a task of its own: a connection dropped by the sender (Telegram's timeout) must not
    // cut the update off between its claim and the dispatcher.
    let taking = tokio::spawn(async move { inbox.take(update).await });
    taking.await.unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

/// The layer around the handler tree in webhook mode: once the tree has finished an update
/// (handled, failed, or ignored), the update is marked done and its delivery answered.
pub fn completing(
    inbox: Arc<Inbox>,
    tree: Handler<'static, HandlerResult, DpHandlerDescription>,
) -> Handler<'static, HandlerResult, DpHandlerDescription> {
    let layer = dptree::from_fn_with_description(
        DpHandlerDescription::entry(),
        move |deps: DependencyMap, next| {
            let inbox = Arc::clone(&inbox);
            async move {
                let id = deps
                    .try_get::<Update>()
                    .map(|update| i64::from(update.id.0));
                let outcome = next(deps).await;
                if let Some(id) = id {
                    inbox.finished(id).await;
                }
                outcome
            }
        },
        HandlerSignature::Entry,
    );
    let layer: Handler<'static, HandlerResult, DpHandlerDescription> = layer;
    layer.chain(tree)
}

impl<'a> AsUpdateStream<'a> for Listener {
    type StreamErr = std::convert::Infallible;
    type Stream = BoxStream<'a, Result<Update, Self::StreamErr>>;

    fn as_stream(&'a mut self) -> Self::Stream {
        let stopped = self.stopped.clone();
        futures::stream::unfold(&mut self.updates, |updates| async move {
            updates.recv().await.map(|update| (Ok(update), updates))
        })
        .take_until(stopped)
        .boxed()
    }
}

impl UpdateListener for Listener {
    type Err = std::convert::Infallible;

    fn stop_token(&mut self) -> StopToken {
        self.stop.clone()
    }

    /// The kinds are given to Telegram by `okienko webhook set`, not by a replica.
    fn hint_allowed_updates(&mut self, _hint: &mut dyn Iterator<Item = AllowedUpdate>) {}
}

/// The kinds of update the bot handles: messages and button presses (the two branches of
/// [`schema`](super::schema)), and channel posts, so that a channel is told the bot works in
/// private chats (as the gate asks of polling). What `okienko webhook set` asks Telegram for.
/// (teloxide keeps the kinds a handler tree observes to itself, so they are named here.)
pub fn allowed_updates() -> Vec<AllowedUpdate> {
    vec![
        AllowedUpdate::Message,
        AllowedUpdate::CallbackQuery,
        AllowedUpdate::ChannelPost,
    ]
}

/// `okienko webhook set|delete|info`: the only place the webhook is set or deleted.
pub async fn command(
    config: &config::Config,
    action: crate::cli::WebhookAction,
) -> anyhow::Result<()> {
    use crate::cli::WebhookAction;
    use anyhow::Context as _;
    use teloxide::requests::Request as _;
    let token = config.require_token()?;
    let bot = super::client(token.expose(), config.api_url.clone());
    match action {
        WebhookAction::Set => {
            let settings = config.webhook.as_ref().ok_or(config::ConfigError::Missing {
                name: "OKIENKO_WEBHOOK_URL",
                hint: "the public https:// address Telegram is to post to, such as https://bot.example.org/telegram",
            })?;
            let allowed = allowed_updates();
            bot.set_webhook(settings.url.clone())
                .secret_token(settings.secret.expose())
                .allowed_updates(allowed.clone())
                .drop_pending_updates(false)
                .max_connections(settings.max_connections)
                .send()
                .await
                .context("setWebhook failed")?;
            let kinds: Vec<String> = allowed.iter().map(kind_name).collect();
            println!("Webhook set: {}", settings.url);
            println!("max connections  {}", settings.max_connections);
            println!("updates          {}", kinds.join(", "));
            println!("pending updates are kept; run okienko webhook info to see them delivered");
        }
        WebhookAction::Delete { drop_pending } => {
            bot.delete_webhook()
                .drop_pending_updates(drop_pending)
                .send()
                .await
                .context("deleteWebhook failed")?;
            if drop_pending {
                println!("Webhook deleted; the pending updates were dropped.");
            } else {
                println!("Webhook deleted; the pending updates are kept for polling.");
            }
        }
        WebhookAction::Info => {
            let info = bot
                .get_webhook_info()
                .send()
                .await
                .context("getWebhookInfo failed")?;
            let or_dash = |value: Option<String>| value.unwrap_or_else(|| "-".to_owned());
            match info.url.filter(|url| !url.as_str().is_empty()) {
                Some(url) => println!("url              {url}"),
                None => println!("url              - (none: the bot polls)"),
            }
            println!("pending updates  {}", info.pending_update_count);
            println!(
                "max connections  {}",
                or_dash(info.max_connections.map(|n| n.to_string()))
            );
            println!(
                "last error at    {}",
                or_dash(info.last_error_date.map(|at| {
                    at.with_timezone(&crate::clock::TIME_ZONE)
                        .format("%Y-%m-%d %H:%M:%S %Z")
                        .to_string()
                }))
            );
            println!("last error       {}", or_dash(info.last_error_message));
        }
    }
    Ok(())
}

/// An update kind as the Bot API names it (`callback_query`).
fn kind_name(kind: &AllowedUpdate) -> String {
    serde_json::to_value(kind)
        .ok()
        .and_then(|value| value.as_str().map(str::to_owned))
        .unwrap_or_else(|| format!("{kind:?}"))
}
