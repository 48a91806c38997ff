//! What the bot counts, for Prometheus, through the `metrics` facade and its Prometheus exporter
//! (rendered by [`render`], served by [`super::http`]; not hand-formatted text):
//!
//! - `okienko_updates_total{kind, outcome}`: updates handled (`outcome` is `handled`, `failed`,
//!   `timed_out` or `ignored`), and `okienko_update_duration_seconds{kind}`, their handling time;
//! - `okienko_bookings_total{service, event}`: visits `made`, `moved` and `cancelled`;
//! - `okienko_telegram_errors_total{code}`: refusals and failures of Bot API requests;
//! - `okienko_outbox_jobs{state}` and `okienko_outbox_oldest_due_seconds`: the queue, read from
//!   the database when scraped (in bounded time);
//! - `okienko_db_connections{state}`: the pool's connections `in_use` and `idle`;
//! - `okienko_polling_leader`: 1 while this process is the one that polls Telegram, else 0.
//! - `okienko_webhook_posts_total{answer}`: webhook mode's posts, by what became of them (see
//!   [`crate::bot::webhook`]).
//!
//! The recorder is process-wide: installed once ([`install`]), shared by every bot of a process
//! (the tests start many).

use std::{sync::OnceLock, time::Duration};

use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use sqlx::PgPool;
use teloxide::{ApiError, RequestError};

use crate::{clock::Clock, db};

pub const UPDATES: &str = "okienko_updates_total";
pub const UPDATE_SECONDS: &str = "okienko_update_duration_seconds";
pub const BOOKINGS: &str = "okienko_bookings_total";
pub const TELEGRAM_ERRORS: &str = "okienko_telegram_errors_total";
pub const OUTBOX_JOBS: &str = "okienko_outbox_jobs";
pub const OUTBOX_OLDEST_DUE: &str = "okienko_outbox_oldest_due_seconds";
pub const DB_CONNECTIONS: &str = "okienko_db_connections";
pub const POLLING_LEADER: &str = "okienko_polling_leader";
pub const WEBHOOK_POSTS: &str = "okienko_webhook_posts_total";

/// The handling time's buckets, in seconds: a reply is quick; the handler's bound is 30 s.
const LATENCY_BUCKETS: [f64; 12] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
];

/// How long a scrape may wait for the database's numbers before it renders without them.
const SCRAPE_PATIENCE: Duration = Duration::from_secs(2);

static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();

/// Installs the process-wide recorder (once; later calls return the same handle). None when
/// another recorder was installed first: then nothing is counted here.
pub fn install() -> Option<&'static PrometheusHandle> {
    HANDLE
        .get_or_init(|| {
            let builder = PrometheusBuilder::new()
                .set_buckets_for_metric(Matcher::Full(UPDATE_SECONDS.into()), &LATENCY_BUCKETS)
                .ok()?;
            let recorder = builder.build_recorder();
            let handle = recorder.handle();
            if let Err(error) = metrics::set_global_recorder(recorder) {
                tracing::warn!(%error, "another metrics recorder is installed; /metrics stays empty");
                return None;
            }
            describe();
            Some(handle)
        })
        .as_ref()
}

fn describe() {
    use metrics::{describe_counter, describe_gauge, describe_histogram, Unit};
    describe_counter!(UPDATES, "Updates handled, by kind and outcome");
    describe_histogram!(UPDATE_SECONDS, Unit::Seconds, "Time to handle an update");
    describe_counter!(BOOKINGS, "Visits made, moved and cancelled, by service");
    describe_counter!(TELEGRAM_ERRORS, "Bot API requests that failed, by code");
    describe_counter!(
        WEBHOOK_POSTS,
        "Posts to the webhook, by answer: taken, done_already, in_hand, refused, not_an_update, too_large, unavailable"
    );
    describe_gauge!(OUTBOX_JOBS, "Outbox jobs by state");
    describe_gauge!(
        OUTBOX_OLDEST_DUE,
        Unit::Seconds,
        "How long the oldest due pending outbox job has waited"
    );
    describe_gauge!(DB_CONNECTIONS, "Database pool connections, in use and idle");
    describe_gauge!(
        POLLING_LEADER,
        "1 while this process holds the polling lock and polls Telegram, else 0"
    );
}

/// How the handling of an update ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UpdateOutcome {
    Handled,
    Failed,
    TimedOut,
    /// No branch of the handler tree took it.
    Ignored,
}

impl UpdateOutcome {
    fn label(self) -> &'static str {
        match self {
            UpdateOutcome::Handled => "handled",
            UpdateOutcome::Failed => "failed",
            UpdateOutcome::TimedOut => "timed_out",
            UpdateOutcome::Ignored => "ignored",
        }
    }
}

/// One update handled: counted by kind and outcome, its time in the histogram.
pub fn update(kind: &'static str, outcome: UpdateOutcome, took: Duration) {
    metrics::counter!(UPDATES, "kind" => kind, "outcome" => outcome.label()).increment(1);
    metrics::histogram!(UPDATE_SECONDS, "kind" => kind).record(took.as_secs_f64());
}

/// Whether this process is the one that polls Telegram (see `bot::leader`).
pub fn polling_leader(polls: bool) {
    metrics::gauge!(POLLING_LEADER).set(if polls { 1.0 } else { 0.0 });
}

/// What happened to a visit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BookingEvent {
    Made,
    Moved,
    Cancelled,
}

/// A visit made, moved or cancelled (committed) for `service` (a key of the directory).
/// One post to the webhook, and what became of it.
pub fn webhook_post(answer: &'static str) {
    metrics::counter!(WEBHOOK_POSTS, "answer" => answer).increment(1);
}

pub fn booking(service: &str, event: BookingEvent) {
    let event = match event {
        BookingEvent::Made => "made",
        BookingEvent::Moved => "moved",
        BookingEvent::Cancelled => "cancelled",
    };
    metrics::counter!(BOOKINGS, "service" => service.to_owned(), "event" => event).increment(1);
}

/// A Bot API request that failed, counted by its code: Telegram's HTTP code where teloxide's error
/// implies one (429 flood control, 403 blocked, 401 token, 400 the rest of the refusals), or
/// `network`, `io`, `invalid_json`.
pub fn telegram_error(error: &RequestError) {
    metrics::counter!(TELEGRAM_ERRORS, "code" => error_code(error)).increment(1);
}

fn error_code(error: &RequestError) -> &'static str {
    match error {
        RequestError::RetryAfter(_) => "429",
        RequestError::MigrateToChatId(_) => "400",
        RequestError::Api(ApiError::InvalidToken) => "401",
        RequestError::Api(ApiError::TerminatedByOtherGetUpdates) => "409",
        RequestError::Api(
            ApiError::BotBlocked
            | ApiError::BotKicked
            | ApiError::BotKickedFromSupergroup
            | ApiError::UserDeactivated
            | ApiError::CantInitiateConversation
            | ApiError::CantTalkWithBots,
        ) => "403",
        RequestError::Api(ApiError::Unknown(text)) if text.contains("Internal Server Error") => {
            "500"
        }
        RequestError::Api(_) => "400",
        RequestError::Network(_) => "network",
        RequestError::Io(_) => "io",
        RequestError::InvalidJson { .. } => "invalid_json",
    }
}

/// The text for a scrape: the gauges read now (the pool at once, the outbox from the database
/// within [`SCRAPE_PATIENCE`]; when it does not answer, its gauges keep their last values), then
/// everything rendered.
pub async fn render(pool: &PgPool, clock: &Clock) -> String {
    let Some(handle) = install() else {
        return String::new();
    };
    let idle = pool.num_idle();
    let in_use = (pool.size() as usize).saturating_sub(idle);
    metrics::gauge!(DB_CONNECTIONS, "state" => "in_use").set(in_use as f64);
    metrics::gauge!(DB_CONNECTIONS, "state" => "idle").set(idle as f64);
    let now = clock.now();
    let read = async {
        let stats = db::outbox::stats(pool).await?;
        let oldest = db::outbox::oldest_due(pool, now).await?;
        Ok::<_, sqlx::Error>((stats, oldest))
    };
    match tokio::time::timeout(SCRAPE_PATIENCE, read).await {
        Ok(Ok((stats, oldest))) => {
            for (state, count) in [
                ("pending", stats.pending),
                ("sent", stats.sent),
                ("failed", stats.failed),
                ("dropped", stats.dropped),
                ("withdrawn", stats.withdrawn),
            ] {
                metrics::gauge!(OUTBOX_JOBS, "state" => state).set(count as f64);
            }
            let waited = oldest.map_or(0.0, |due| {
                (now - due).num_milliseconds().max(0) as f64 / 1000.0
            });
            metrics::gauge!(OUTBOX_OLDEST_DUE).set(waited);
        }
        Ok(Err(error)) => tracing::warn!(%error, "cannot read the outbox for /metrics"),
        Err(_) => tracing::warn!("the outbox was not read for /metrics in time"),
    }
    handle.run_upkeep();
    handle.render()
}
