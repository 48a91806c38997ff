//! Logs: `tracing` to standard error, filtered by the configured level, coloured only on a
//! terminal. teloxide logs through the `log` crate; those records are bridged into the same
//! output. Each update's lines carry its span (`update{id kind chat_id}`); never a name, phone
//! number or message text. With `OKIENKO_LOG_FORMAT=json`, each line is one JSON object (for log
//! collectors): `timestamp`, `level`, `target`, `fields` (the message and the event's fields),
//! `span` (the innermost span's fields) and `spans` (every span it is in).

use std::io::IsTerminal;

use tracing_subscriber::{
    filter::Targets, fmt, layer::SubscriberExt, util::SubscriberInitExt, EnvFilter,
};

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
    let (targets, env_filter) = self::filter(filter);
    let registry = tracing_subscriber::registry()
        .with(targets)
        .with(env_filter);
    let _ = match format {
        LogFormat::Text => registry
            .with(
                fmt::layer()
                    .with_writer(std::io::stderr)
                    .with_ansi(std::io::stderr().is_terminal())
                    .with_target(true),
            )
            .try_init(),
        LogFormat::Json => registry
            .with(
                fmt::layer()
                    .json()
                    .with_writer(std::io::stderr)
                    .with_target(true)
                    .with_current_span(true)
                    .with_span_list(true),
            )
            .try_init(),
    };
}

/// The log filter written as `spec`, as a layer: exactly one of the two is there. Levels by
/// target (`info`, `okienko=debug,sqlx=warn`) are a [`Targets`] filter, decided once per call
/// site; only a filter that names spans or fields (`okienko[update]=debug`) needs [`EnvFilter`],
/// which looks at every span entered: in the load bench that look was about 3 % of the bot's CPU.
/// A filter that does not read is `info` (the configuration has refused it before this).
fn filter(spec: &str) -> (Option<Targets>, Option<EnvFilter>) {
    // `Targets` would read `okienko[update]` as a target's name, so spans and fields go to
    // `EnvFilter` by their brackets.
    let names_spans = spec.contains(['[', '{']);
    match spec.parse::<Targets>() {
        Ok(targets) if !names_spans => (Some(targets), None),
        _ => (
            None,
            Some(EnvFilter::try_new(spec).unwrap_or_else(|_| EnvFilter::new("info"))),
        ),
    }
}

#[cfg(test)]
mod tests {
    use tracing::Level;

    use super::{filter, LogFormat};

    #[test]
    fn levels_by_target_are_a_targets_filter_and_span_filters_still_work() {
        let (Some(targets), None) = filter("warn,okienko=debug") else {
            panic!("levels by target need no span filter");
        };
        assert!(targets.would_enable("okienko::bot", &Level::DEBUG));
        assert!(!targets.would_enable("okienko::bot", &Level::TRACE));
        assert!(targets.would_enable("sqlx::query", &Level::WARN));
        assert!(!targets.would_enable("sqlx::query", &Level::INFO));
        assert!(matches!(filter("info"), (Some(_), None)));
        assert!(matches!(filter("okienko[update]=debug"), (None, Some(_))));
        assert!(matches!(
            filter("okienko[{chat_id}]=debug"),
            (None, Some(_))
        ));
    }

    #[test]
    fn the_two_formats_are_named_and_nothing_else() {
        assert_eq!(LogFormat::parse("json"), Some(LogFormat::Json));
        assert_eq!(LogFormat::parse(" JSON "), Some(LogFormat::Json));
        assert_eq!(LogFormat::parse("text"), Some(LogFormat::Text));
        assert_eq!(LogFormat::parse("logfmt"), None);
        assert_eq!(LogFormat::parse(""), None);
    }
}
