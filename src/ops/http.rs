//! The operator's HTTP server, beside the bot on `OKIENKO_LISTEN`: `/healthz` (the process is
//! alive: 200), `/readyz` (200 only when the database answers and every shipped migration is
//! applied, 503 otherwise, asked anew each time and within [`READY_PATIENCE`]), and `/metrics`
//! (Prometheus text, see [`super::metrics`]). Safe to expose to a monitor: nothing personal, no
//! setting, only counts.

use std::{net::SocketAddr, time::Duration};

use anyhow::Context;
use axum::{extract::State, http::StatusCode, response::IntoResponse, routing::get, Router};
use sqlx::PgPool;
use tokio::net::TcpListener;

use crate::{clock::Clock, db};

/// How long `/readyz` waits for the database before it says unready.
pub const READY_PATIENCE: Duration = Duration::from_secs(2);

/// What the handlers read.
#[derive(Clone)]
struct Probe {
    pool: PgPool,
    clock: Clock,
}

/// Binds `addr` (port 0: a free one); a taken or forbidden address is said with its variable.
pub async fn bind(addr: SocketAddr) -> anyhow::Result<TcpListener> {
    TcpListener::bind(addr)
        .await
        .with_context(|| format!("cannot listen on OKIENKO_LISTEN={addr}"))
}

/// Serves the three paths on `listener` until `stop` completes, and `webhook`'s route (webhook
/// mode) beside them.
pub fn spawn(
    listener: TcpListener,
    pool: PgPool,
    clock: Clock,
    webhook: Option<Router>,
    stop: impl std::future::Future<Output = ()> + Send + 'static,
) -> tokio::task::JoinHandle<()> {
    let mut app = Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics))
        .with_state(Probe { pool, clock });
    if let Some(webhook) = webhook {
        app = app.merge(webhook);
    }
    tokio::spawn(async move {
        if let Err(error) = axum::serve(listener, app)
            .with_graceful_shutdown(stop)
            .await
        {
            tracing::error!(%error, "the health and metrics server stopped");
        }
    })
}

async fn healthz() -> &'static str {
    "ok\n"
}

async fn readyz(State(probe): State<Probe>) -> impl IntoResponse {
    match tokio::time::timeout(READY_PATIENCE, db::migrations_applied(&probe.pool)).await {
        Ok(Ok(true)) => (StatusCode::OK, "ready\n"),
        Ok(Ok(false)) => (
            StatusCode::SERVICE_UNAVAILABLE,
            "not ready: migrations are not applied (run okienko migrate)\n",
        ),
        Ok(Err(error)) => {
            // Asked every few seconds by a probe: the outage is logged by the bot itself.
            tracing::debug!(%error, "not ready: the database does not answer");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                "not ready: the database does not answer\n",
            )
        }
        Err(_) => (
            StatusCode::SERVICE_UNAVAILABLE,
            "not ready: the database does not answer in time\n",
        ),
    }
}

async fn metrics(State(probe): State<Probe>) -> impl IntoResponse {
    let text = super::metrics::render(&probe.pool, &probe.clock).await;
    (
        [(
            axum::http::header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        text,
    )
}
