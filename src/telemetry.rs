//! Logs: `tracing` to standard error, filtered by the configured level, coloured only on a
//! terminal. teloxide logs through the `log` crate; those records are bridged into the same
//! output. Each update's lines carry its span (`update{id kind chat_id}`); never a name, phone
//! number or message text.

use std::io::IsTerminal;

use tracing_subscriber::{fmt, EnvFilter};

/// Installs the global subscriber once; later calls (tests start many bots) are no-ops.
pub fn init(filter: &str) {
    let filter = EnvFilter::try_new(filter).unwrap_or_else(|_| EnvFilter::new("info"));
    let _ = fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .with_target(true)
        .try_init();
}
