//! The whole application, assembled in one place from a [`Config`]: the pool, the services the
//! handlers share, the bot client, the dialogue storage and the workers, with every setting.
//! `okienko run`, `okienko chat`, the tests and the benchmarks all start the bot through
//! [`Application`]; a test that needs another setting changes a field of the `Config`.

use std::sync::Arc;

use anyhow::Context;
use chrono::Utc;
use teloxide::{dispatching::ShutdownToken, types::Me};

use crate::{
    bot::{self, Runner, Services},
    clock::Clock,
    config::Config,
    db,
    directory::{Directory, DirectoryError},
    i18n::Locales,
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
        );
        Ok(Self { runner })
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

    /// Serves updates by long polling, with the workers (outbox, waiting list, dialogue sweep),
    /// until the returned handle is told to stop (or the process gets Ctrl-C when `ctrlc` is set).
    pub fn start(self, ctrlc: bool) -> Running {
        let services = self.runner.services().clone();
        let (shutdown, task) = self.runner.start(ctrlc);
        Running {
            services,
            shutdown,
            task,
        }
    }
}

/// How long [`Running::stop`] waits for the updates in hand.
const STOP_PATIENCE: std::time::Duration = std::time::Duration::from_secs(5);

/// The bot while it serves.
pub struct Running {
    services: Services,
    shutdown: ShutdownToken,
    task: tokio::task::JoinHandle<()>,
}

impl Running {
    pub fn services(&self) -> &Services {
        &self.services
    }

    /// Waits until the bot stops by itself (Ctrl-C).
    pub async fn finished(mut self) -> anyhow::Result<()> {
        (&mut self.task)
            .await
            .context("the bot stopped unexpectedly")
    }

    /// Stops taking updates, lets the ones in hand finish (for a few seconds at most), and ends
    /// the workers. The wait is bounded because teloxide's shutdown signal can be missed: it wakes
    /// only a dispatcher already waiting for it, and a shutdown asked for while the dispatcher
    /// starts or handles an update was seen to hang `okienko chat` for good.
    pub async fn stop(self) {
        if let Ok(stopping) = self.shutdown.shutdown() {
            let _ = tokio::time::timeout(STOP_PATIENCE, stopping).await;
        }
        self.task.abort();
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.shutdown.shutdown();
        self.task.abort();
    }
}
