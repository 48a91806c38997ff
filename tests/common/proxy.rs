//! A TCP proxy the tests control, between the bot and PostgreSQL or the Bot API server: it forwards
//! until it is [`cut`](Proxy::cut), as a restarted server ([`Cut::Reset`]: every connection reset
//! at once, new ones too) or a dead network ([`Cut::Hang`]: every byte held, nothing answered)
//! looks, and forwards again once [`restore`](Proxy::restore)d. No crate fits (toxiproxy is a Go
//! server to run beside the tests); this is a hundred lines of tokio.

use std::{net::SocketAddr, time::Duration};

use sqlx::PgPool;
use tokio::{
    io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt},
    net::{TcpListener, TcpStream},
    sync::watch,
};

use super::{at, config, database_url, TestBot};
use okienko::{
    app::Application,
    config::{Config, Secret},
    emulator::{Emulator, EmulatorClient},
};

/// How a link is cut.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cut {
    /// The server went away: open connections are reset (RST), and so is each new one at once.
    Reset,
    /// The network died: open connections stay open and carry nothing, new ones are accepted and
    /// carry nothing; when restored, everything held goes through.
    Hang,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Link {
    Up,
    Down(Cut),
}

/// A proxy on a free loopback port to `target`; stops when dropped.
pub struct Proxy {
    pub addr: SocketAddr,
    link: watch::Sender<Link>,
    task: tokio::task::JoinHandle<()>,
}

impl Proxy {
    pub async fn start(target: SocketAddr) -> Self {
        let listener = TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0)))
            .await
            .expect("the proxy binds");
        let addr = listener.local_addr().expect("the proxy has an address");
        let (link, _) = watch::channel(Link::Up);
        let watched = link.clone();
        let task = tokio::spawn(async move {
            while let Ok((inbound, _)) = listener.accept().await {
                let link = watched.subscribe();
                tokio::spawn(carry(inbound, target, link));
            }
        });
        Self { addr, link, task }
    }

    /// Cuts every open connection at once, and new ones until [`Proxy::restore`].
    pub fn cut(&self, how: Cut) {
        self.link.send_replace(Link::Down(how));
    }

    pub fn restore(&self) {
        self.link.send_replace(Link::Up);
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.task.abort();
        self.link.send_replace(Link::Down(Cut::Reset));
    }
}

/// Closes a connection with a reset, as a server that went away does.
fn reset(stream: TcpStream) {
    #[allow(deprecated)]
    let _ = stream.set_linger(Some(Duration::ZERO));
    drop(stream);
}

/// Forwards one connection while the link is up: a reset cuts it; a hang holds every byte until
/// the link is restored, and then carries on (TCP outlives a short loss of the network).
async fn carry(mut inbound: TcpStream, target: SocketAddr, mut link: watch::Receiver<Link>) {
    let state = link
        .wait_for(|link| *link != Link::Down(Cut::Hang))
        .await
        .map(|l| *l);
    if !matches!(state, Ok(Link::Up)) {
        return reset(inbound);
    }
    let Ok(mut outbound) = TcpStream::connect(target).await else {
        return reset(inbound);
    };
    {
        let (mut from_bot, mut to_bot) = inbound.split();
        let (mut from_server, mut to_server) = outbound.split();
        tokio::select! {
            _ = pipe(&mut from_bot, &mut to_server, link.clone()) => {}
            _ = pipe(&mut from_server, &mut to_bot, link.clone()) => {}
            _ = link.wait_for(|link| *link == Link::Down(Cut::Reset)) => {}
        }
    }
    reset(outbound);
    reset(inbound);
}

/// Copies one direction until either end closes or the link is reset; while the link hangs, what
/// was read waits.
async fn pipe(
    from: &mut (impl AsyncRead + Unpin),
    to: &mut (impl AsyncWrite + Unpin),
    mut link: watch::Receiver<Link>,
) {
    let mut buffer = vec![0; 16 * 1024];
    loop {
        let read = match from.read(&mut buffer).await {
            Ok(0) | Err(_) => return,
            Ok(read) => read,
        };
        let state = link
            .wait_for(|link| *link != Link::Down(Cut::Hang))
            .await
            .map(|l| *l);
        if !matches!(state, Ok(Link::Up)) || to.write_all(&buffer[..read]).await.is_err() {
            return;
        }
    }
}

/// The proxies a bot started by [`TestBot::start_behind_proxies`] talks through.
pub struct Proxies {
    /// Between the bot and its PostgreSQL database.
    pub database: Proxy,
    /// Between the bot and the Bot API emulator (the test talks to the emulator directly).
    pub api: Proxy,
}

impl TestBot {
    /// The bot with its clock at `now`, assembled as `okienko run` assembles it, reaching its
    /// database and the emulator only through proxies the test can cut.
    pub async fn start_behind_proxies(pool: PgPool, now: &str) -> (Self, Proxies) {
        Self::start_behind_proxies_with(pool, now, |_| {}).await
    }

    /// The same, with the configuration changed by `change` before the start.
    pub async fn start_behind_proxies_with(
        pool: PgPool,
        now: &str,
        change: impl FnOnce(&mut Config),
    ) -> (Self, Proxies) {
        okienko::telemetry::init("warn,okienko=info");
        let emulator = Emulator::new(super::TOKEN)
            .serve(SocketAddr::from(([127, 0, 0, 1], 0)))
            .await
            .expect("the emulator starts");
        let options = pool.connect_options();
        let server = tokio::net::lookup_host((options.get_host(), options.get_port()))
            .await
            .expect("the database server resolves")
            .next()
            .expect("the database server has an address");
        let database = Proxy::start(server).await;
        let api_server = SocketAddr::from((
            [127, 0, 0, 1],
            emulator.url.port().expect("the emulator's port"),
        ));
        let api = Proxy::start(api_server).await;

        let mut config = config(&pool);
        at(&mut config, now);
        let direct = database_url(&pool);
        let own = format!("{}:{}", options.get_host(), options.get_port());
        config.database_url = Secret::new(direct.replacen(&own, &database.addr.to_string(), 1));
        let mut api_url = emulator.url.clone();
        api_url
            .set_port(Some(api.addr.port()))
            .expect("the API URL takes a port");
        config.api_url = Some(api_url);
        change(&mut config);
        let app = Application::build(&config)
            .await
            .expect("the bot assembles");
        app.connect().await.expect("the bot accepts the emulator");
        let running = app.start(false);
        let client = EmulatorClient::new(emulator.url.clone());
        let bot = Self {
            client,
            emulator,
            services: running.services().clone(),
            http: running.http_addr(),
            _running: running,
        };
        (bot, Proxies { database, api })
    }
}
