//! Okienko: a Telegram bot through which the residents and NGOs of Chorzów reach the city's
//! social-welfare centres. The map of the crate:

/// The application assembled once from the configuration: used by every command, test and bench.
pub mod app;
/// Booking rules as plain Rust: slots from hours, contact details, the calendar file.
pub mod booking;
/// The Telegram side: the handler tree, dialogue states, buttons, and sending with retries.
pub mod bot;
/// `okienko chat`: the terminal as the user's phone, through the emulator.
pub mod chat;
/// The command line (clap) and the commands `run`, `chat`, `migrate`, `outbox`.
pub mod cli;
/// The one clock (system time, or started at `OKIENKO_NOW`), and the centres' time zone.
pub mod clock;
/// Configuration from the environment, checked at start.
pub mod config;
/// PostgreSQL: connection, migrations, and one module per table.
pub mod db;
/// The centres, places and services, with hours, from the directory file.
pub mod directory;
/// The Bot API emulator used by `okienko chat` and the tests.
pub mod emulator;
/// Typed text folded for matching (case, Polish letters, punctuation).
pub mod fold;
/// The opening-hours engine: schedules, Polish holidays, exceptions, open/closed at an instant.
pub mod hours;
/// Messages a person reads, from `locales/` (fluent), and the languages.
pub mod i18n;
/// Running it for an operator: health, readiness and metrics over HTTP, and stopping on signals.
pub mod ops;
/// Logging through `tracing`.
pub mod telemetry;
/// Typed questions matched to places, topics and times.
pub mod understanding;
