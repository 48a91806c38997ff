//! Logs: `tracing` to standard error, filtered by the configured level. teloxide logs through the
//! `log` crate; those records are bridged into the same output.

use tracing_subscriber::{fmt, EnvFilter};

/// Installs the global subscriber once; later calls (tests start many bots) are no-ops.
pub fn init(filter: &str) {
    let filter = EnvFilter::try_new(filter).unwrap_or_else(|_| EnvFilter::new("info"));
    let _ = fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(true)
        .try_init();
}
