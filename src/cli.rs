//! The command line and its commands: `okienko run`, `chat`, `migrate`, `outbox` and `webhook`,
//! each started from the one [`Application`] assembly (or, for `webhook`, the bot client alone).

use std::net::SocketAddr;

use anyhow::Context;
use clap::{Parser, Subcommand};

use crate::{
    app::{self, Application},
    chat,
    config::{BotToken, Config},
    db, ops, telemetry,
};

/// Okienko: the Telegram bot of the social-welfare centres of Chorzów.
///
/// Configuration comes from the environment (and a .env file in the working directory):
/// TELOXIDE_TOKEN, TELOXIDE_API_URL, DATABASE_URL, OKIENKO_NOW, OKIENKO_LOG (or RUST_LOG),
/// OKIENKO_DIALOGUE_TTL_HOURS, OKIENKO_STAFF_CHATS, OKIENKO_STAFF_IDS, OKIENKO_OFFER_MINUTES,
/// OKIENKO_OUTBOX_LEASE_SECONDS, OKIENKO_NEWS_RATE, OKIENKO_DIGEST_AT, OKIENKO_RETENTION_DAYS,
/// OKIENKO_FLOOD_PER_MINUTE, OKIENKO_DIRECTORY, OKIENKO_LISTEN, OKIENKO_SHUTDOWN_SECONDS,
/// OKIENKO_WEBHOOK_URL, OKIENKO_WEBHOOK_SECRET, OKIENKO_WEBHOOK_MAX_CONNECTIONS.
/// README.md says what each one does.
#[derive(Debug, Parser)]
#[command(name = "okienko", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the bot: long polling against Telegram, or any Bot API server named by TELOXIDE_API_URL;
    /// or, when OKIENKO_WEBHOOK_URL is set, serving the webhook on OKIENKO_LISTEN.
    ///
    /// Needs TELOXIDE_TOKEN. Creates the database if missing and applies migrations first. Never
    /// sets or deletes the webhook: see okienko webhook.
    Run,
    /// Talk to the bot in this terminal, through the built-in Bot API emulator.
    ///
    /// No token and no internet needed, only PostgreSQL. Type messages; type a button's number to
    /// press it; /contact <phone> shares a phone number; /quit ends. Lines can be piped in:
    /// printf '/start\n1\n' | okienko chat
    Chat {
        /// The language of the emulated Telegram app (the bot's hint when no language was chosen).
        #[arg(long, default_value = "pl")]
        lang: String,
        /// The emulated user's Telegram id (each id is a separate person to the bot).
        #[arg(long, default_value_t = 1)]
        user_id: i64,
        /// The emulated user's first name.
        #[arg(long, default_value = "Terminal")]
        name: String,
    },
    /// Create the database if missing and apply the migrations, then exit.
    Migrate,
    /// Show the outbox: pending, sent, failed, dropped and withdrawn jobs, and the next due time.
    Outbox,
    /// Ask the running bot on this machine whether it is alive (GET /healthz on OKIENKO_LISTEN),
    /// or with --ready whether it can serve (/readyz); exit 0 if so, 1 if not. For a container's
    /// HEALTHCHECK, where no curl is at hand.
    Healthcheck {
        /// Ask /readyz (database reachable, migrations applied) instead of /healthz.
        #[arg(long)]
        ready: bool,
    },
    /// Telegram's webhook, for webhook mode: set it, delete it, or show it.
    Webhook {
        #[command(subcommand)]
        action: WebhookAction,
    },
}

#[derive(Debug, Subcommand)]
pub enum WebhookAction {
    /// Ask Telegram to post updates to OKIENKO_WEBHOOK_URL with OKIENKO_WEBHOOK_SECRET (pending
    /// updates kept; OKIENKO_WEBHOOK_MAX_CONNECTIONS connections at most).
    Set,
    /// Ask Telegram to stop posting updates (back to polling); pending updates are kept.
    Delete {
        /// Also drop the updates Telegram holds for the bot.
        #[arg(long)]
        drop_pending: bool,
    },
    /// Show the webhook Telegram has: the URL, pending updates, the last error.
    Info,
}

/// Parses the command line and runs the command; the error, if any, is for one line on stderr.
pub async fn main(cli: Cli) -> anyhow::Result<()> {
    let config = Config::from_env()?;
    let quiet_chat =
        matches!(cli.command, Command::Chat { .. }) && std::env::var_os("OKIENKO_LOG").is_none();
    // In the terminal conversation, logs would drown the dialogue: warnings only, unless asked.
    telemetry::init_as(
        if quiet_chat { "warn" } else { &config.log },
        config.log_format,
    );
    match cli.command {
        Command::Run => run(config).await,
        Command::Chat {
            lang,
            user_id,
            name,
        } => {
            let options = chat::Options {
                language_code: Some(lang).filter(|l| !l.is_empty()),
                user_id,
                first_name: name,
            };
            chat(config, options).await
        }
        Command::Migrate => migrate(config).await,
        Command::Outbox => outbox(config).await,
        Command::Healthcheck { ready } => healthcheck(config, ready).await,
        Command::Webhook { action } => crate::bot::webhook::command(&config, action).await,
    }
}

/// `okienko run`: the bot, by long polling, with `/healthz`, `/readyz` and `/metrics` on
/// `OKIENKO_LISTEN`, until SIGTERM or SIGINT; then it stops gracefully within
/// `OKIENKO_SHUTDOWN_SECONDS`.
async fn run(config: Config) -> anyhow::Result<()> {
    // Said first, before anything can fail, at WARN; and on standard error as it is when the
    // log filter hides warnings (OKIENKO_LOG=error), for these must not pass unseen.
    for warning in config.run_warnings() {
        if tracing::enabled!(tracing::Level::WARN) {
            tracing::warn!("{warning}");
        } else {
            eprintln!("okienko: WARNING: {warning}");
        }
    }
    // A missing token is said alone, before anything else is logged.
    config.require_token()?;
    tracing::info!(
        version = env!("CARGO_PKG_VERSION"),
        database = %config.database_place(),
        directory = config
            .directory
            .as_deref()
            .map_or("(built in)".into(), |p| p.display().to_string()),
        "okienko starting"
    );
    let app = Application::build(&config).await?;
    let me = app.connect().await?;
    tracing::info!(bot = me.username(), "connected to the Bot API server");
    if let Some(addr) = app.http_addr() {
        tracing::info!(%addr, "serving /healthz, /readyz and /metrics");
    }
    // Listening before the health server answers: a stop asked for as soon as it is ready is
    // not lost (nor does it kill the process).
    let stop = ops::signals::listen();
    let mut running = app.start(false);
    tokio::select! {
        signal = stop => {
            tracing::info!(signal, seconds = config.shutdown.as_secs(), "stopping");
        }
        ended = running.ended() => {
            ended?;
            anyhow::bail!("the bot stopped unexpectedly");
        }
    }
    running.shutdown(config.shutdown).await?;
    tracing::info!("stopped");
    Ok(())
}

/// `okienko chat`: the same bot against the built-in emulator, with this terminal as the phone.
async fn chat(mut config: Config, options: chat::Options) -> anyhow::Result<()> {
    app::directory(&config)?;
    // Not the production default: a trial conversation must not take real slots or leave
    // reminders for `okienko run` to send.
    if config.database_url.expose() == crate::config::DEFAULT_DATABASE_URL {
        config.database_url =
            crate::config::Secret::new(crate::config::CHAT_DATABASE_URL.to_owned());
    }
    let emulator = crate::emulator::Emulator::new(chat::TOKEN);
    let handle = emulator
        .serve(SocketAddr::from(([127, 0, 0, 1], 0)))
        .await
        .context("cannot start the Bot API emulator")?;
    config.token = Some(BotToken::parse(chat::TOKEN)?);
    config.api_url = Some(handle.url.clone());
    // The terminal conversation serves no monitor.
    config.listen = None;
    config.webhook = None;
    let app = Application::build(&config).await?;
    app.connect().await?;
    let running = app.start(false);
    chat::converse(&handle.emulator, options).await?;
    running.stop().await;
    Ok(())
}

/// `okienko migrate`: create the database when missing and apply the migrations.
async fn migrate(config: Config) -> anyhow::Result<()> {
    let (pool, prepared) = db::prepare(config.database_url.expose()).await?;
    pool.close().await;
    let all = db::MIGRATOR.iter().count();
    let db::Prepared { created, applied } = prepared;
    let migrations = |n: usize| if n == 1 { "migration" } else { "migrations" };
    if created {
        print_out(&format!(
            "Created the database and applied {applied} {}.\n",
            migrations(applied)
        ));
    } else if applied > 0 {
        print_out(&format!(
            "Applied {applied} new {}; the database is up to date ({all} migrations).\n",
            migrations(applied)
        ));
    } else {
        print_out(&format!(
            "The database was already up to date ({all} migrations); nothing changed.\n"
        ));
    }
    Ok(())
}

/// `okienko outbox`: the queue's counts and the next due time. Reads only: a missing database is
/// said, not created.
async fn outbox(config: Config) -> anyhow::Result<()> {
    let pool = db::connect_existing(config.database_url.expose()).await?;
    let stats = db::outbox::stats(&pool)
        .await
        .context("cannot read the outbox (has okienko migrate been run on this database?)")?;
    pool.close().await;
    let next_due = match stats.next_due {
        Some(due) => due
            .with_timezone(&crate::clock::TIME_ZONE)
            .format("%Y-%m-%d %H:%M:%S %Z")
            .to_string(),
        None => "-".to_owned(),
    };
    print_out(&format!(
        "pending   {}\nsent      {}\nfailed    {}\ndropped   {}\nwithdrawn {}\nnext due  {next_due}\n",
        stats.pending, stats.sent, stats.failed, stats.dropped, stats.withdrawn
    ));
    Ok(())
}

/// `okienko healthcheck`: GET /healthz (or /readyz) of the bot on this machine, at
/// OKIENKO_LISTEN (an unspecified address such as 0.0.0.0 is asked on loopback).
async fn healthcheck(config: Config, ready: bool) -> anyhow::Result<()> {
    let mut addr = config
        .listen
        .context("OKIENKO_LISTEN is off: the bot serves no health endpoint to ask")?;
    if addr.ip().is_unspecified() {
        addr.set_ip(if addr.is_ipv4() {
            std::net::Ipv4Addr::LOCALHOST.into()
        } else {
            std::net::Ipv6Addr::LOCALHOST.into()
        });
    }
    let path = if ready { "readyz" } else { "healthz" };
    let url = format!("http://{addr}/{path}");
    let client = reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(5))
        .build()
        .context("cannot make an HTTP client")?;
    let response = client
        .get(&url)
        .send()
        .await
        .with_context(|| format!("nothing answers at {url}"))?;
    let status = response.status();
    let body = response.text().await.unwrap_or_default();
    print_out(&format!("{} {}\n", status.as_u16(), body.trim()));
    if status.is_success() {
        Ok(())
    } else {
        anyhow::bail!("{url} answered {status}")
    }
}

/// Writes a command's output to standard output; a reader that went away (`| head -1`) is no
/// error (`println!` would panic on the broken pipe).
fn print_out(text: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
}
