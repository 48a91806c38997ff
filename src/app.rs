//! The whole application, assembled in one place from a [`Config`]: the pool, the services the
//! handlers share, the bot client, the dialogue storage and the workers, with every setting.
//! `okienko run`, `okienko chat`, the tests and the benchmarks all start the bot through
//! [`Application`]; a test that needs another setting changes a field of the `Config`.

use std::{net::SocketAddr, sync::Arc, time::Duration};

use anyhow::Context;
use chrono::Utc;
use teloxide::{dispatching::ShutdownToken, types::Me};
use tokio::{net::TcpListener, sync::watch, task::JoinHandle};

use crate::{
    bot::{self, Runner, Services},
    clock::Clock,
    config::Config,
    db,
    directory::{Directory, DirectoryError},
    i18n::Locales,
    ops,
};

/// The clock the configuration asks for.
pub fn clock(config: &Config) -> Clock {
    match config.now {
        Some(at) => Clock::starting_at(at.with_timezone(&Utc)),
        None => Clock::system(),
    }
}

/// The directory the configuration names, or the shipped one; a bad file is refused here.
pub fn directory(config: &Config) -> Result<Directory, DirectoryError> {
    match &config.directory {
        Some(path) => Directory::load(path),
        None => Directory::chorzow(),
    }
}

/// The bot, assembled and not yet serving.
pub struct Application {
    runner: Runner,
    /// Bound for `/healthz`, `/readyz` and `/metrics` (`OKIENKO_LISTEN`), when asked.
    http: Option<TcpListener>,
}

impl Application {
    /// Connects to `DATABASE_URL` (creating the database when it is missing), applies the
    /// migrations, and assembles the bot. Needs a token (`TELOXIDE_TOKEN`).
    pub async fn build(config: &Config) -> anyhow::Result<Self> {
        // A bad directory file or a missing token is said before the database is touched.
        let directory = directory(config)?;
        for member in &config.staff_ids {
            if let Some(centre) = member.centre.as_deref() {
                if directory.centre(centre).is_none() {
                    anyhow::bail!(
                        "OKIENKO_STAFF_IDS limits user {} to the centre {centre:?}, which the directory does not have",
                        member.user
                    );
                }
            }
        }
        let token = config.require_token()?;
        let locales = Locales::load().context("the message files are broken")?;
        ops::metrics::install();
        // A taken port is said before the database is touched, too.
        let http = match config.listen {
            Some(addr) => Some(ops::http::bind(addr).await?),
            None => None,
        };
        let pool = db::connect_and_migrate(config.database_url.expose()).await?;
        let services = Services::new(pool, Arc::new(locales), clock(config), directory, config);
        let bot = bot::client(token.expose(), config.api_url.clone());
        let runner = Runner::new(
            bot,
            services,
            config.dialogue_ttl,
            config.outbox_lease,
            config.waitlist_every,
            config.flood_per_minute,
        )
        .with_webhook(config.webhook.clone());
        if config.webhook.is_some() && http.is_none() {
            anyhow::bail!(
                "webhook mode (OKIENKO_WEBHOOK_URL) needs the HTTP server of OKIENKO_LISTEN"
            );
        }
        Ok(Self { runner, http })
    }

    /// Where `/healthz`, `/readyz` and `/metrics` are served (the real port when
    /// `OKIENKO_LISTEN` asked for port 0), if anywhere.
    pub fn http_addr(&self) -> Option<SocketAddr> {
        self.http.as_ref().and_then(|l| l.local_addr().ok())
    }

    /// What the handlers share (the pool, the messages, the clock, the directory, the settings).
    pub fn services(&self) -> &Services {
        self.runner.services()
    }

    /// Asks the Bot API server who the bot is (a refused token or an unreachable server stops
    /// here) and registers the command list in every language.
    pub async fn connect(&self) -> anyhow::Result<Me> {
        let me = self.runner.check().await?;
        self.runner.register_commands().await?;
        Ok(me)
    }

    /// Serves updates by long polling, with the workers (outbox, waiting list, dialogue sweep)
    /// and the health and metrics server, until the returned handle is told to stop (or the
    /// process gets Ctrl-C when `ctrlc` is set).
    pub fn start(self, ctrlc: bool) -> Running {
        let services = self.runner.services().clone();
        let http_addr = self.http_addr();
        let (http_stop, mut stopping) = watch::channel(false);
        let mut started = self.runner.start(ctrlc);
        let webhook = started.webhook.take();
        let http = self.http.map(|listener| {
            let stop = async move {
                let _ = stopping.wait_for(|stop| *stop).await;
            };
            ops::http::spawn(
                listener,
                services.pool.clone(),
                services.clock.clone(),
                webhook,
                stop,
            )
        });
        Running {
            services,
            shutdown: started.shutdown,
            stop_listening: started.stop_listening,
            task: started.task,
            outbox: started.outbox,
            outbox_stop: started.outbox_stop,
            http,
            http_stop,
            http_addr,
        }
    }
}

/// How long [`Running::stop`] waits for the updates in hand.
const STOP_PATIENCE: std::time::Duration = std::time::Duration::from_secs(5);

/// The bot while it serves.
pub struct Running {
    services: Services,
    shutdown: ShutdownToken,
    stop_listening: teloxide::stop::StopToken,
    task: JoinHandle<()>,
    outbox: JoinHandle<()>,
    outbox_stop: watch::Sender<bool>,
    http: Option<JoinHandle<()>>,
    http_stop: watch::Sender<bool>,
    http_addr: Option<SocketAddr>,
}

/// What a graceful stop left undone when its time ran out.
#[derive(Debug, thiserror::Error)]
#[error("stopping took longer than OKIENKO_SHUTDOWN_SECONDS ({seconds} s): {left} cut short")]
pub struct StopTimedOut {
    pub seconds: u64,
    pub left: &'static str,
}

impl Running {
    pub fn services(&self) -> &Services {
        &self.services
    }

    /// Where `/healthz`, `/readyz` and `/metrics` are served, if anywhere.
    pub fn http_addr(&self) -> Option<SocketAddr> {
        self.http_addr
    }

    /// Waits until the bot stops by itself (Ctrl-C when started with `ctrlc`).
    pub async fn finished(mut self) -> anyhow::Result<()> {
        (&mut self.task)
            .await
            .context("the bot stopped unexpectedly")
    }

    /// Waits until the bot's task ends by itself, which it should not: the caller says so.
    pub async fn ended(&mut self) -> anyhow::Result<()> {
        (&mut self.task)
            .await
            .context("the bot stopped unexpectedly")
    }

    /// The graceful stop (SIGTERM, SIGINT), all within `within`: no update taken any more and
    /// the ones in hand answered; no outbox job claimed any more and the deliveries in progress
    /// recorded; the HTTP server and the pool closed. What the time did not allow is cut (the
    /// tasks aborted) and named in the error.
    pub async fn shutdown(mut self, within: Duration) -> Result<(), StopTimedOut> {
        let deadline = tokio::time::Instant::now() + within;
        let late = |left| StopTimedOut {
            seconds: within.as_secs(),
            left,
        };
        // The outbox stops claiming at once, while the updates in hand are being finished.
        self.outbox_stop.send_replace(true);
        match self.shutdown.shutdown() {
            // teloxide's notice of the shutdown reaches the dispatcher only if it waits for it at
            // that moment; one busy handing on an update (under load) misses it and polls on. The
            // listener is told directly: its stream ends, and the dispatcher with it.
            Ok(_) => self.stop_listening.stop(),
            // Not dispatching yet: nothing is in hand, and nothing is to be taken.
            Err(_) => self.task.abort(),
        }
        // The dispatcher returns once its updates are handled (or at once when it never ran).
        if tokio::time::timeout_at(deadline, &mut self.task)
            .await
            .is_err()
        {
            return Err(late("the updates in hand"));
        }
        tracing::info!("no update taken any more; the ones in hand are answered");
        let seen = self.services.seen.flush(&self.services.pool);
        match tokio::time::timeout_at(deadline, seen).await {
            Ok(Ok(_)) => {}
            Ok(Err(error)) => tracing::warn!(%error, "cannot record when people were last seen"),
            Err(_) => return Err(late("recording when people were last seen")),
        }
        if tokio::time::timeout_at(deadline, &mut self.outbox)
            .await
            .is_err()
        {
            return Err(late("the outbox deliveries in progress"));
        }
        self.http_stop.send_replace(true);
        if let Some(http) = self.http.as_mut() {
            if tokio::time::timeout_at(deadline, http).await.is_err() {
                return Err(late("the health and metrics server"));
            }
        }
        if tokio::time::timeout_at(deadline, self.services.pool.close())
            .await
            .is_err()
        {
            return Err(late("closing the database pool"));
        }
        Ok(())
    }

    /// Stops taking updates, lets the ones in hand finish (for a few seconds at most), and ends
    /// the workers. The wait is bounded because teloxide's shutdown signal can be missed: it wakes
    /// only a dispatcher already waiting for it, and a shutdown asked for while the dispatcher
    /// starts or handles an update was seen to hang `okienko chat` for good.
    pub async fn stop(mut self) {
        if self.shutdown.shutdown().is_ok() {
            self.stop_listening.stop();
            let _ = tokio::time::timeout(STOP_PATIENCE, &mut self.task).await;
        }
        self.task.abort();
        let seen = self.services.seen.flush(&self.services.pool);
        if let Ok(Err(error)) = tokio::time::timeout(STOP_PATIENCE, seen).await {
            tracing::warn!(%error, "cannot record when people were last seen");
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.shutdown.shutdown();
        self.task.abort();
        self.outbox.abort();
        if let Some(http) = &self.http {
            http.abort();
        }
    }
}
