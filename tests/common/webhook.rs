//! Webhook mode in tests: `okienko run` processes serving the webhook on ports of their own, what
//! Telegram would post to them, and a round-robin proxy in front of them that delivers some
//! updates twice (to the same replica, one after the other, or to two replicas at once), as
//! Telegram's retries and a load balancer do.

use std::{
    net::SocketAddr,
    sync::{
        atomic::{AtomicU64, AtomicUsize, Ordering},
        Arc,
    },
    time::Duration,
};

use axum::{
    body::Bytes,
    extract::State,
    http::{HeaderMap, StatusCode},
    routing, Router,
};
use okienko::emulator::EmulatorHandle;
use sqlx::PgPool;

use super::BotProcess;

pub const SECRET: &str = "test-webhook-secret_0123456789";
pub const PATH: &str = "/telegram";

/// A free loopback port (bound, read and let go: good enough for a test).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free port")
        .port()
}

/// `okienko run` in webhook mode on `port`, posted to at `url` (the proxy's, or its own).
pub fn replica(
    server: &EmulatorHandle,
    pool: &PgPool,
    port: u16,
    url: &str,
    env: &[(&str, &str)],
) -> BotProcess {
    let listen = format!("127.0.0.1:{port}");
    let mut all = vec![
        ("OKIENKO_WEBHOOK_URL", url),
        ("OKIENKO_WEBHOOK_SECRET", SECRET),
        ("OKIENKO_LISTEN", listen.as_str()),
    ];
    all.extend_from_slice(env);
    match std::env::var_os("OKIENKO_TEST_REPLICA_LOGS") {
        // For a look at what the replicas said: a log file per port in that folder.
        Some(folder) => {
            let path = std::path::Path::new(&folder).join(format!("replica-{port}.log"));
            let file = std::fs::File::create(path).expect("the log file");
            BotProcess::run_logging(server, pool, &all, file)
        }
        None => BotProcess::run(server, pool, &all),
    }
}

/// Waits until the process on `port` answers `/healthz`.
pub async fn healthy(port: u16) {
    let client = reqwest::Client::new();
    for _ in 0..600 {
        let answer = client
            .get(format!("http://127.0.0.1:{port}/healthz"))
            .send()
            .await;
        if answer.is_ok_and(|a| a.status().is_success()) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the bot on port {port} did not come up");
}

/// Posts `body` to the webhook on `port` with `secret` (none: no header); the answer's status.
pub async fn post(port: u16, secret: Option<&str>, body: impl Into<reqwest::Body>) -> u16 {
    let mut request = reqwest::Client::new()
        .post(format!("http://127.0.0.1:{port}{PATH}"))
        .header("content-type", "application/json")
        .body(body);
    if let Some(secret) = secret {
        request = request.header("X-Telegram-Bot-Api-Secret-Token", secret);
    }
    request
        .timeout(Duration::from_secs(60))
        .send()
        .await
        .expect("the bot answers")
        .status()
        .as_u16()
}

/// What the proxy did.
#[derive(Default)]
pub struct Counts {
    pub posts: AtomicU64,
    /// Delivered twice to the same replica, the second after the first was answered.
    pub again_same: AtomicU64,
    /// Delivered to two replicas at once.
    pub twice_at_once: AtomicU64,
    /// Repeated deliveries not answered 200 (there should be none).
    pub again_refused: AtomicU64,
}

struct Upstreams {
    ports: Vec<u16>,
    next: AtomicUsize,
    client: reqwest::Client,
    counts: Arc<Counts>,
}

/// A round-robin HTTP proxy on a free loopback port in front of `ports`: an update whose id
/// ends in 3 goes twice to the same replica; one ending in 7 goes to two replicas at once.
pub async fn round_robin(ports: Vec<u16>) -> (SocketAddr, Arc<Counts>) {
    let counts = Arc::new(Counts::default());
    let upstreams = Arc::new(Upstreams {
        ports,
        next: AtomicUsize::new(0),
        client: reqwest::Client::new(),
        counts: Arc::clone(&counts),
    });
    let app = Router::new()
        .route(PATH, routing::post(forward))
        .with_state(upstreams);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("the proxy binds");
    let addr = listener.local_addr().expect("an address");
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (addr, counts)
}

async fn forward(State(up): State<Arc<Upstreams>>, headers: HeaderMap, body: Bytes) -> StatusCode {
    up.counts.posts.fetch_add(1, Ordering::Relaxed);
    let update_id = serde_json::from_slice::<serde_json::Value>(&body)
        .ok()
        .and_then(|u| u["update_id"].as_i64())
        .unwrap_or_default();
    let first = up.next.fetch_add(1, Ordering::Relaxed) % up.ports.len();
    let second = (first + 1) % up.ports.len();
    let send = |port: u16| {
        let mut request = up
            .client
            .post(format!("http://127.0.0.1:{port}{PATH}"))
            .body(body.clone())
            .timeout(Duration::from_secs(60));
        for name in ["content-type", "x-telegram-bot-api-secret-token"] {
            if let Some(value) = headers.get(name) {
                request = request.header(name, value);
            }
        }
        async move {
            match request.send().await {
                Ok(answer) => answer.status().as_u16(),
                Err(_) => 502,
            }
        }
    };
    let status = match update_id % 10 {
        3 => {
            up.counts.again_same.fetch_add(1, Ordering::Relaxed);
            let once = send(up.ports[first]).await;
            let again = send(up.ports[first]).await;
            if again != 200 {
                up.counts.again_refused.fetch_add(1, Ordering::Relaxed);
            }
            once
        }
        7 => {
            up.counts.twice_at_once.fetch_add(1, Ordering::Relaxed);
            let (a, b) = futures::join!(send(up.ports[first]), send(up.ports[second]));
            a.max(b)
        }
        _ => send(up.ports[first]).await,
    };
    StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_GATEWAY)
}
