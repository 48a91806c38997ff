//! The command line: `okienko run`, `okienko chat`, `okienko migrate`.

use clap::{Parser, Subcommand};

use crate::{app, chat, config::Config, telemetry};

/// Okienko: the Telegram bot of the social-welfare centres of Chorzów.
///
/// Configuration comes from the environment (and a .env file): TELOXIDE_TOKEN, TELOXIDE_API_URL,
/// DATABASE_URL, OKIENKO_NOW, OKIENKO_LOG. See README.md.
#[derive(Debug, Parser)]
#[command(name = "okienko", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the bot: long polling against Telegram, or any Bot API server named by TELOXIDE_API_URL.
    ///
    /// Needs TELOXIDE_TOKEN. Creates the database if missing and applies migrations first.
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
}

/// Parses the command line and runs the command; the error, if any, is for one line on stderr.
pub async fn main(cli: Cli) -> anyhow::Result<()> {
    let config = Config::from_env()?;
    let quiet_chat =
        matches!(cli.command, Command::Chat { .. }) && std::env::var_os("OKIENKO_LOG").is_none();
    // In the terminal conversation, logs would drown the dialogue: warnings only, unless asked.
    telemetry::init(if quiet_chat { "warn" } else { &config.log });
    match cli.command {
        Command::Run => app::run(config).await,
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
            app::chat(config, options).await
        }
        Command::Migrate => app::migrate(config).await,
        Command::Outbox => app::outbox(config).await,
    }
}
