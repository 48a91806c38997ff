//! Logs: `tracing` to standard error, filtered by the configured level, coloured only on a
//! terminal. teloxide logs through the `log` crate; those records are bridged into the same
//! output. Each update's lines carry its span (`update{id kind chat_id}`); never a name, phone
//! number or message text. With `OKIENKO_LOG_FORMAT=json`, each line is one JSON object (for log
//! collectors): `timestamp`, `level`, `target`, `fields` (the message and the event's fields),
//! `span` (the innermost span's fields) and `spans` (every span it is in).

use std::io::IsTerminal;

use tracing_subscriber::{fmt, EnvFilter};

/// How log lines are written (`OKIENKO_LOG_FORMAT`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum LogFormat {
    /// Plain text for a person (coloured on a terminal).
    #[default]
    Text,
    /// One JSON object a line, for a log collector.
    Json,
}

impl LogFormat {
    /// `text` or `json` (any letter case, spaces around ignored).
    pub fn parse(raw: &str) -> Option<Self> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "text" => Some(Self::Text),
            "json" => Some(Self::Json),
            _ => None,
        }
    }
}

/// Installs the global subscriber once, as text; later calls (tests start many bots) are no-ops.
pub fn init(filter: &str) {
    init_as(filter, LogFormat::Text);
}

/// Installs the global subscriber once, writing `format`; later calls are no-ops.
pub fn init_as(filter: &str, format: LogFormat) {
    let filter = EnvFilter::try_new(filter).unwrap_or_else(|_| EnvFilter::new("info"));
    let _ = match format {
        LogFormat::Text => fmt()
            .with_env_filter(filter)
            .with_writer(std::io::stderr)
            .with_ansi(std::io::stderr().is_terminal())
            .with_target(true)
            .try_init(),
        LogFormat::Json => fmt()
            .json()
            .with_env_filter(filter)
            .with_writer(std::io::stderr)
            .with_target(true)
            .with_current_span(true)
            .with_span_list(true)
            .try_init(),
    };
}

#[cfg(test)]
mod tests {
    use super::LogFormat;

    #[test]
    fn the_two_formats_are_named_and_nothing_else() {
        assert_eq!(LogFormat::parse("json"), Some(LogFormat::Json));
        assert_eq!(LogFormat::parse(" JSON "), Some(LogFormat::Json));
        assert_eq!(LogFormat::parse("text"), Some(LogFormat::Text));
        assert_eq!(LogFormat::parse("logfmt"), None);
        assert_eq!(LogFormat::parse(""), None);
    }
}
