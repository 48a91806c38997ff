//! The program's commands, each built from the configuration: `run`, `chat`, `migrate`.

use std::{net::SocketAddr, sync::Arc};

use anyhow::Context;
use chrono::Utc;

use crate::{
    bot::{self, Runner, Services},
    chat,
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

/// Everything the handlers share, on an open pool.
pub fn services(config: &Config, pool: sqlx::PgPool) -> anyhow::Result<Services> {
    let locales = Locales::load().context("the message files are broken")?;
    Ok(Services::new(
        pool,
        Arc::new(locales),
        clock(config),
        directory(config)?,
    ))
}

/// `okienko run`: the bot, by long polling, until Ctrl-C.
pub async fn run(config: Config) -> anyhow::Result<()> {
    let token = config.require_token()?;
    directory(&config)?;
    let pool = db::connect_and_migrate(config.database_url.expose()).await?;
    let bot = bot::client(token.expose(), config.api_url.clone());
    let runner = Runner::new(bot, services(&config, pool)?, config.dialogue_ttl)
        .outbox_lease(config.outbox_lease);
    let me = runner.check().await?;
    tracing::info!(bot = me.username(), "connected to the Bot API server");
    runner.register_commands().await?;
    let (_shutdown, task) = runner.start(true);
    task.await.context("the bot stopped unexpectedly")?;
    tracing::info!("stopped");
    Ok(())
}

/// `okienko chat`: the same bot against the built-in emulator, with this terminal as the phone.
pub async fn chat(config: Config, options: chat::Options) -> anyhow::Result<()> {
    directory(&config)?;
    let pool = db::connect_and_migrate(config.database_url.expose()).await?;
    let emulator = crate::emulator::Emulator::new(chat::TOKEN);
    let handle = emulator
        .serve(SocketAddr::from(([127, 0, 0, 1], 0)))
        .await
        .context("cannot start the Bot API emulator")?;
    let bot = bot::client(chat::TOKEN, Some(handle.url.clone()));
    let runner = Runner::new(bot, services(&config, pool)?, config.dialogue_ttl);
    runner.check().await?;
    runner.register_commands().await?;
    let (shutdown, task) = runner.start(false);
    chat::converse(&handle.emulator, options).await?;
    if let Ok(stopping) = shutdown.shutdown() {
        stopping.await;
    }
    task.abort();
    Ok(())
}

/// `okienko migrate`: create the database when missing and apply the migrations.
pub async fn migrate(config: Config) -> anyhow::Result<()> {
    let pool = db::connect_and_migrate(config.database_url.expose()).await?;
    let applied = db::MIGRATOR.iter().count();
    pool.close().await;
    println!("The database is up to date ({applied} migrations).");
    Ok(())
}

/// `okienko outbox`: the queue's counts and the next due time.
pub async fn outbox(config: Config) -> anyhow::Result<()> {
    let pool = db::connect_and_migrate(config.database_url.expose()).await?;
    let stats = db::outbox::stats(&pool).await?;
    pool.close().await;
    println!("pending   {}", stats.pending);
    println!("sent      {}", stats.sent);
    println!("failed    {}", stats.failed);
    println!("dropped   {}", stats.dropped);
    println!("withdrawn {}", stats.withdrawn);
    match stats.next_due {
        Some(due) => println!(
            "next due  {}",
            due.with_timezone(&crate::clock::TIME_ZONE)
                .format("%Y-%m-%d %H:%M:%S %Z")
        ),
        None => println!("next due  -"),
    }
    Ok(())
}
