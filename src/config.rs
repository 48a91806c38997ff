//! Configuration from the environment (and a `.env` file when present), checked once at start.
//! A missing or malformed value is one [`ConfigError`] that names the variable; the token is kept
//! in a [`Secret`] that never prints.

use std::{fmt, net::SocketAddr, str::FromStr, time::Duration};

use chrono::{DateTime, FixedOffset};
use thiserror::Error;

/// The database used when `DATABASE_URL` is not set: `okienko` on the local PostgreSQL.
pub const DEFAULT_DATABASE_URL: &str = "postgres://postgres@127.0.0.1:5432/okienko";
/// The database `okienko chat` uses when `DATABASE_URL` is not set: never the production default.
pub const CHAT_DATABASE_URL: &str = "postgres://postgres@127.0.0.1:5432/okienko_chat";
pub const DEFAULT_LOG: &str = "info,sqlx=warn";
/// How long an untouched dialogue is kept before the user starts again from the menu.
pub const DEFAULT_DIALOGUE_TTL: Duration = Duration::from_secs(24 * 3600);
/// How often the waiting-list worker looks for freed slots when nothing nudged it.
pub const DEFAULT_WAITLIST_EVERY: Duration = Duration::from_secs(30);
/// Days after which personal data of past visits and sent messages is erased.
pub const DEFAULT_RETENTION_DAYS: u32 = 90;
/// Where health, readiness and metrics are served when `OKIENKO_LISTEN` is not set.
pub const DEFAULT_LISTEN: SocketAddr =
    SocketAddr::new(std::net::IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED), 8080);
/// How long `okienko run` may take to stop when `OKIENKO_SHUTDOWN_SECONDS` is not set.
pub const DEFAULT_SHUTDOWN: Duration = Duration::from_secs(20);

#[derive(Debug, Error, PartialEq, Eq)]
pub enum ConfigError {
    #[error("{name} is not set: {hint}")]
    Missing {
        name: &'static str,
        hint: &'static str,
    },
    #[error("{name} is malformed: {hint}")]
    Malformed { name: &'static str, hint: String },
}

/// A value that must never reach a log or a terminal.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// A Telegram bot token as BotFather gives it: `<bot id>:<secret>`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BotToken(Secret);

impl BotToken {
    pub fn parse(raw: &str) -> Result<Self, ConfigError> {
        let malformed = || {
            ConfigError::Malformed {
            name: "TELOXIDE_TOKEN",
            hint: "expected <bot id>:<secret> as BotFather gives it: digits, a colon, then at least 20 letters, digits, - or _".into(),
        }
        };
        let (id, secret) = raw.trim().split_once(':').ok_or_else(malformed)?;
        let id_ok = !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit());
        let secret_ok = secret.len() >= 20
            && secret
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
        if !(id_ok && secret_ok) {
            return Err(malformed());
        }
        Ok(Self(Secret(raw.trim().to_owned())))
    }

    pub fn expose(&self) -> &str {
        self.0.expose()
    }
}

#[derive(Clone, Debug)]
pub struct Config {
    /// `TELOXIDE_TOKEN`; needed by `okienko run` only.
    pub token: Option<BotToken>,
    /// `TELOXIDE_API_URL`: any Bot API server; Telegram's own when unset.
    pub api_url: Option<url::Url>,
    /// `DATABASE_URL`.
    pub database_url: Secret,
    /// `OKIENKO_NOW`: where the bot's clock starts (it then runs on in real time).
    pub now: Option<DateTime<FixedOffset>>,
    /// `OKIENKO_LOG` (or `RUST_LOG`): a tracing filter such as `info` or `okienko=debug`.
    pub log: String,
    /// `OKIENKO_LOG_FORMAT`: `text` (the default) or `json` (one object a line).
    pub log_format: crate::telemetry::LogFormat,
    /// `OKIENKO_DIALOGUE_TTL_HOURS`.
    pub dialogue_ttl: Duration,
    /// `OKIENKO_DIRECTORY`: another directory file instead of the shipped Chorzów one.
    pub directory: Option<std::path::PathBuf>,
    /// `OKIENKO_STAFF_CHATS`: chat ids told of every booking, move and cancellation.
    pub staff_chats: Vec<i64>,
    /// `OKIENKO_STAFF_IDS`: the Telegram users who are staff (`id`, or `id:centre` for one
    /// centre only).
    pub staff_ids: Vec<StaffId>,
    /// `OKIENKO_OFFER_MINUTES`: how long a slot offered from the waiting list is held (minutes of
    /// the day: the night, 21:00 to 8:00, does not count).
    pub offer_minutes: u32,
    /// `OKIENKO_OUTBOX_LEASE_SECONDS`: how long a claimed job stays with its worker.
    pub outbox_lease: Duration,
    /// `OKIENKO_NEWS_RATE`: announcements sent a second (Telegram carries about 30 a second for
    /// a bot; the rest is left for replies and reminders).
    pub news_rate: u32,
    /// `OKIENKO_DIGEST_AT`: the time (Chorzów's, "07:30") the day's agenda is sent to the staff
    /// chats; none when unset.
    pub digest_at: Option<chrono::NaiveTime>,
    /// `OKIENKO_RETENTION_DAYS`: days after which the name and phone of past and cancelled visits,
    /// left waiting lists and sent staff notices are erased (default 90).
    pub retention_days: u32,
    /// How often the waiting list is looked at besides when a slot frees. No variable sets it:
    /// half a minute serves a city, and tests shorten it to see offers at once.
    pub waitlist_every: Duration,
    /// `OKIENKO_FLOOD_PER_MINUTE`: updates a person may send a minute; past it they are told once
    /// to wait, and the rest is dropped until the minute is over.
    pub flood_per_minute: std::num::NonZeroU32,
    /// `OKIENKO_LISTEN`: where `/healthz`, `/readyz` and `/metrics` are served (default
    /// `0.0.0.0:8080`); none in `okienko chat`, `127.0.0.1:0` (a free port) in the tests.
    pub listen: Option<SocketAddr>,
    /// `OKIENKO_SHUTDOWN_SECONDS`: how long `okienko run` may take to stop on SIGTERM or SIGINT
    /// (default 20): the updates in hand answered, the deliveries in progress recorded.
    pub shutdown: Duration,
    /// `OKIENKO_WEBHOOK_URL` with `OKIENKO_WEBHOOK_SECRET`: serve Telegram's webhook at the URL's
    /// path on `OKIENKO_LISTEN` instead of long polling; none: polling.
    pub webhook: Option<Webhook>,
}

/// Webhook mode: where Telegram posts the updates, and the secret it sends with each.
#[derive(Clone, Debug)]
pub struct Webhook {
    /// `OKIENKO_WEBHOOK_URL`: the public address (https; http only to this machine).
    pub url: url::Url,
    /// `OKIENKO_WEBHOOK_SECRET`: Telegram's `X-Telegram-Bot-Api-Secret-Token`, 1 to 256 of
    /// `A-Z a-z 0-9 _ -`.
    pub secret: Secret,
    /// `OKIENKO_WEBHOOK_MAX_CONNECTIONS`: what `okienko webhook set` asks of Telegram (1 to 100,
    /// default 40).
    pub max_connections: u8,
}

impl Webhook {
    /// The path the webhook is served at: the URL's (`/` when it has none).
    pub fn path(&self) -> &str {
        self.url.path()
    }
}

/// The webhook settings, or none when `OKIENKO_WEBHOOK_URL` is unset.
fn webhook(
    get: impl Fn(&str) -> Result<Option<String>, ConfigError>,
) -> Result<Option<Webhook>, ConfigError> {
    let max_connections = match get("OKIENKO_WEBHOOK_MAX_CONNECTIONS")? {
        None => 40,
        Some(raw) => match raw.trim().parse::<u8>() {
            Ok(n) if (1..=100).contains(&n) => n,
            _ => {
                return Err(ConfigError::Malformed {
                    name: "OKIENKO_WEBHOOK_MAX_CONNECTIONS",
                    hint: "expected a whole number from 1 to 100".into(),
                })
            }
        },
    };
    let Some(raw) = get("OKIENKO_WEBHOOK_URL")? else {
        return Ok(None);
    };
    let url = url::Url::parse(raw.trim())
        .ok()
        .filter(|u| {
            u.has_host()
                && u.query().is_none()
                && u.fragment().is_none()
                && (u.scheme() == "https" || (u.scheme() == "http" && is_loopback(u)))
        })
        .ok_or(ConfigError::Malformed {
            name: "OKIENKO_WEBHOOK_URL",
            hint: "expected the public https:// address Telegram posts to, such as https://bot.example.org/telegram (http:// only to this machine), without a query".into(),
        })?;
    let secret = match get("OKIENKO_WEBHOOK_SECRET")? {
        None => {
            return Err(ConfigError::Missing {
                name: "OKIENKO_WEBHOOK_SECRET",
                hint: "webhook mode (OKIENKO_WEBHOOK_URL is set) needs a secret of 1 to 256 letters, digits, _ or -, such as the output of: openssl rand -hex 32",
            })
        }
        Some(raw) => {
            let ok = (1..=256).contains(&raw.len())
                && raw
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
            if !ok {
                return Err(ConfigError::Malformed {
                    name: "OKIENKO_WEBHOOK_SECRET",
                    hint: "expected 1 to 256 letters A-Z a-z, digits, _ or - (as Telegram allows)".into(),
                });
            }
            Secret(raw)
        }
    };
    Ok(Some(Webhook {
        url,
        secret,
        max_connections,
    }))
}

impl Config {
    /// Every value at its default, as with an empty environment (a base for tests and tools,
    /// which then change the fields they need).
    pub fn defaults() -> Self {
        Self::from_lookup(|_| Ok(None)).expect("the defaults are a valid configuration")
    }

    /// Reads the process environment, after loading `.env` from the working directory if present
    /// (variables already set win over the file).
    pub fn from_env() -> Result<Self, ConfigError> {
        match dotenvy::dotenv() {
            Ok(_) => {}
            Err(error) if error.not_found() => {}
            Err(_) => {
                return Err(ConfigError::Malformed {
                    name: ".env",
                    hint: "the file exists but cannot be read as NAME=value lines".into(),
                })
            }
        }
        Self::from_lookup(|name| match std::env::var(name) {
            Ok(value) => Ok(Some(value)),
            Err(std::env::VarError::NotPresent) => Ok(None),
            Err(std::env::VarError::NotUnicode(_)) => Err(ConfigError::Malformed {
                name: leak_name(name),
                hint: "not valid UTF-8".into(),
            }),
        })
    }

    /// Builds the configuration from any source of variables (the environment, or a test's map).
    pub fn from_lookup(
        lookup: impl Fn(&str) -> Result<Option<String>, ConfigError>,
    ) -> Result<Self, ConfigError> {
        let get = |name: &str| -> Result<Option<String>, ConfigError> {
            Ok(lookup(name)?.filter(|v| !v.trim().is_empty()))
        };
        let token = get("TELOXIDE_TOKEN")?
            .map(|raw| BotToken::parse(&raw))
            .transpose()?;
        let api_url = get("TELOXIDE_API_URL")?
            .map(|raw| {
                url::Url::parse(raw.trim())
                    .ok()
                    .filter(|u| matches!(u.scheme(), "http" | "https") && u.has_host())
                    .ok_or(ConfigError::Malformed {
                        name: "TELOXIDE_API_URL",
                        hint:
                            "expected an http:// or https:// address such as http://127.0.0.1:8081"
                                .into(),
                    })
            })
            .transpose()?;
        // Set but empty is a mistake (an env file's `DATABASE_URL=`), not "the local default":
        // that default would quietly create and fill a database nobody meant.
        let database_url =
            match lookup("DATABASE_URL")? {
                Some(raw) if raw.trim().is_empty() => return Err(ConfigError::Malformed {
                    name: "DATABASE_URL",
                    hint: "it is set but empty; give postgres://user@host:port/database, or leave \
                           it out for the local default"
                        .into(),
                }),
                Some(raw) => {
                    // sqlx's own parser: what it accepts is what it connects to (a Unix socket too:
                    // postgresql:///okienko?host=/var/run/postgresql&user=okienko_bot).
                    let names_database = (raw.starts_with("postgres://")
                        || raw.starts_with("postgresql://"))
                        && sqlx::postgres::PgConnectOptions::from_str(raw.trim())
                            .is_ok_and(|o| o.get_database().is_some_and(|d| !d.is_empty()));
                    if !names_database {
                        return Err(ConfigError::Malformed {
                        name: "DATABASE_URL",
                        hint:
                            "expected postgres://user@host:port/database, with the database named"
                                .into(),
                    });
                    }
                    raw.trim().to_owned()
                }
                None => DEFAULT_DATABASE_URL.to_owned(),
            };
        let now = get("OKIENKO_NOW")?
            .map(|raw| {
                DateTime::parse_from_rfc3339(raw.trim()).map_err(|_| ConfigError::Malformed {
                    name: "OKIENKO_NOW",
                    hint: "expected an RFC 3339 instant such as 2026-11-23T09:00:00+01:00".into(),
                })
            })
            .transpose()?;
        let log = match get("OKIENKO_LOG")? {
            Some(log) => Some(("OKIENKO_LOG", log)),
            None => get("RUST_LOG")?.map(|log| ("RUST_LOG", log)),
        };
        let log = match log {
            Some((name, filter)) => {
                tracing_subscriber::EnvFilter::try_new(&filter).map_err(|_| {
                    ConfigError::Malformed {
                        name,
                        hint: "expected a log filter such as info, warn or okienko=debug".into(),
                    }
                })?;
                filter
            }
            None => DEFAULT_LOG.to_owned(),
        };
        let log_format = match get("OKIENKO_LOG_FORMAT")? {
            None => crate::telemetry::LogFormat::default(),
            Some(raw) => {
                crate::telemetry::LogFormat::parse(&raw).ok_or(ConfigError::Malformed {
                    name: "OKIENKO_LOG_FORMAT",
                    hint: "expected text or json".into(),
                })?
            }
        };
        let dialogue_ttl = match get("OKIENKO_DIALOGUE_TTL_HOURS")? {
            Some(raw) => match raw.trim().parse::<u64>() {
                Ok(hours) if (1..=24 * 365).contains(&hours) => Duration::from_secs(hours * 3600),
                _ => {
                    return Err(ConfigError::Malformed {
                        name: "OKIENKO_DIALOGUE_TTL_HOURS",
                        hint: "expected a whole number of hours from 1 to 8760".into(),
                    })
                }
            },
            None => DEFAULT_DIALOGUE_TTL,
        };
        let directory = get("OKIENKO_DIRECTORY")?.map(|path| std::path::PathBuf::from(path.trim()));
        let staff_chats = match get("OKIENKO_STAFF_CHATS")? {
            None => Vec::new(),
            Some(raw) => raw
                .split(',')
                .map(|id| id.trim().parse::<i64>())
                .collect::<Result<Vec<_>, _>>()
                .map_err(|_| ConfigError::Malformed {
                    name: "OKIENKO_STAFF_CHATS",
                    hint: "expected Telegram chat ids separated by commas, such as 123456789,-1001234567890".into(),
                })?,
        };
        let staff_ids = match get("OKIENKO_STAFF_IDS")? {
            None => Vec::new(),
            Some(raw) => raw
                .split(',')
                .filter(|part| !part.trim().is_empty())
                .map(StaffId::parse)
                .collect::<Option<Vec<_>>>()
                .ok_or_else(|| ConfigError::Malformed {
                    name: "OKIENKO_STAFF_IDS",
                    hint: "expected Telegram user ids separated by commas, each optionally limited to a centre, such as 123456789,987654321:cps".into(),
                })?,
        };
        let offer_minutes = match get("OKIENKO_OFFER_MINUTES")? {
            None => 30,
            Some(raw) => match raw.trim().parse::<u32>() {
                Ok(minutes) if (1..=24 * 60).contains(&minutes) => minutes,
                _ => {
                    return Err(ConfigError::Malformed {
                        name: "OKIENKO_OFFER_MINUTES",
                        hint: "expected whole minutes from 1 to 1440".into(),
                    })
                }
            },
        };
        let outbox_lease = match get("OKIENKO_OUTBOX_LEASE_SECONDS")? {
            None => Duration::from_secs(60),
            Some(raw) => match raw.trim().parse::<u64>() {
                Ok(seconds) if (1..=3600).contains(&seconds) => Duration::from_secs(seconds),
                _ => {
                    return Err(ConfigError::Malformed {
                        name: "OKIENKO_OUTBOX_LEASE_SECONDS",
                        hint: "expected whole seconds from 1 to 3600".into(),
                    })
                }
            },
        };
        let news_rate = match get("OKIENKO_NEWS_RATE")? {
            None => 10,
            Some(raw) => match raw.trim().parse::<u32>() {
                Ok(rate) if (1..=30).contains(&rate) => rate,
                _ => {
                    return Err(ConfigError::Malformed {
                        name: "OKIENKO_NEWS_RATE",
                        hint: "expected messages a second, a whole number from 1 to 30".into(),
                    })
                }
            },
        };
        let digest_at = match get("OKIENKO_DIGEST_AT")? {
            None => None,
            Some(raw) if raw.trim().is_empty() => None,
            Some(raw) => Some(
                chrono::NaiveTime::parse_from_str(raw.trim(), "%H:%M").map_err(|_| {
                    ConfigError::Malformed {
                        name: "OKIENKO_DIGEST_AT",
                        hint: "expected a time of day in Chorzów, such as 07:30".into(),
                    }
                })?,
            ),
        };
        let retention_days = match get("OKIENKO_RETENTION_DAYS")? {
            None => DEFAULT_RETENTION_DAYS,
            Some(raw) => match raw.trim().parse::<u32>() {
                Ok(days) if (1..=3650).contains(&days) => days,
                _ => {
                    return Err(ConfigError::Malformed {
                        name: "OKIENKO_RETENTION_DAYS",
                        hint: "expected whole days from 1 to 3650".into(),
                    })
                }
            },
        };
        let flood_per_minute = match get("OKIENKO_FLOOD_PER_MINUTE")? {
            None => std::num::NonZeroU32::new(20).unwrap_or(std::num::NonZeroU32::MIN),
            Some(raw) => match raw.trim().parse::<std::num::NonZeroU32>() {
                Ok(updates) if updates.get() <= 1000 => updates,
                _ => return Err(ConfigError::Malformed {
                    name: "OKIENKO_FLOOD_PER_MINUTE",
                    hint:
                        "expected messages a minute from one person, a whole number from 1 to 1000"
                            .into(),
                }),
            },
        };
        let listen = match get("OKIENKO_LISTEN")? {
            None => DEFAULT_LISTEN,
            Some(raw) => raw
                .trim()
                .parse::<SocketAddr>()
                .map_err(|_| ConfigError::Malformed {
                    name: "OKIENKO_LISTEN",
                    hint: "expected an address and a port to serve /healthz, /readyz and /metrics on, such as 0.0.0.0:8080 or 127.0.0.1:9090".into(),
                })?,
        };
        let shutdown = match get("OKIENKO_SHUTDOWN_SECONDS")? {
            None => DEFAULT_SHUTDOWN,
            Some(raw) => match raw.trim().parse::<u64>() {
                Ok(seconds) if (1..=600).contains(&seconds) => Duration::from_secs(seconds),
                _ => {
                    return Err(ConfigError::Malformed {
                        name: "OKIENKO_SHUTDOWN_SECONDS",
                        hint: "expected whole seconds from 1 to 600".into(),
                    })
                }
            },
        };
        let webhook = webhook(get)?;
        Ok(Self {
            token,
            api_url,
            database_url: Secret(database_url),
            now,
            log,
            log_format,
            dialogue_ttl,
            directory,
            staff_chats,
            staff_ids,
            offer_minutes,
            outbox_lease,
            news_rate,
            digest_at,
            retention_days,
            waitlist_every: DEFAULT_WAITLIST_EVERY,
            flood_per_minute,
            listen: Some(listen),
            shutdown,
            webhook,
        })
    }

    /// The token, or the error that says it is needed.
    pub fn require_token(&self) -> Result<&BotToken, ConfigError> {
        self.token.as_ref().ok_or(ConfigError::Missing {
            name: "TELOXIDE_TOKEN",
            hint: "get a token from @BotFather, or try the bot without one: okienko chat",
        })
    }

    /// What `okienko run` must warn of, loudly, because it does not belong in production: a
    /// clock set by `OKIENKO_NOW`, and a Bot API server reached over plain HTTP on another
    /// machine (the token is in every request's address, and people's messages in the bodies).
    /// Where the database is, for the log: user, host, port and database, never the password.
    pub fn database_place(&self) -> String {
        match sqlx::postgres::PgConnectOptions::from_str(self.database_url.expose()) {
            Ok(o) => format!(
                "{}@{}:{}/{}",
                o.get_username(),
                o.get_host(),
                o.get_port(),
                o.get_database().unwrap_or_default()
            ),
            Err(_) => "(unreadable DATABASE_URL)".into(),
        }
    }

    pub fn run_warnings(&self) -> Vec<String> {
        let mut warnings = Vec::new();
        if let Some(now) = self.now {
            warnings.push(format!(
                "OKIENKO_NOW is set: the bot's clock starts at {now}, not at the real time, so reminders, offers and opening hours follow that clock; for demos and tests only, unset it in production"
            ));
        }
        if let Some(url) = &self.api_url {
            if url.scheme() == "http" && !is_loopback(url) {
                warnings.push(format!(
                    "TELOXIDE_API_URL is plain http:// to {}, which is not this machine: the bot's token and people's messages travel unencrypted; use https:// (or a Bot API server on this machine)",
                    url.host_str().unwrap_or_default()
                ));
            }
        }
        if let Some(webhook) = &self.webhook {
            if webhook.url.scheme() == "http" {
                warnings.push(format!(
                    "OKIENKO_WEBHOOK_URL is plain http:// to {}: Telegram posts only to https://, and people's messages would travel unencrypted; for tests and a local Bot API server only",
                    webhook.url.host_str().unwrap_or_default()
                ));
            }
        }
        warnings
    }
}

/// Whether `url` names this machine (`localhost`, 127.0.0.0/8, `::1`).
fn is_loopback(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(name)) => {
            let name = name.trim_end_matches('.').to_ascii_lowercase();
            name == "localhost" || name.ends_with(".localhost")
        }
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

/// A member of staff: a Telegram user id, and the centre they are limited to, if any.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StaffId {
    pub user: i64,
    pub centre: Option<String>,
}

impl StaffId {
    /// `123456789` or `123456789:cps`.
    fn parse(text: &str) -> Option<StaffId> {
        let text = text.trim();
        let (user, centre) = match text.split_once(':') {
            Some((user, centre)) => (user, Some(centre.trim())),
            None => (text, None),
        };
        let user = user.trim().parse::<i64>().ok().filter(|id| *id > 0)?;
        let centre = match centre {
            Some(key)
                if !key.is_empty()
                    && key
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-') =>
            {
                Some(key.to_owned())
            }
            Some(_) => return None,
            None => None,
        };
        Some(StaffId { user, centre })
    }
}

/// The names we look up are a fixed, small set; keeping them `'static` keeps errors simple.
fn leak_name(name: &str) -> &'static str {
    const NAMES: [&str; 17] = [
        "OKIENKO_WEBHOOK_URL",
        "OKIENKO_WEBHOOK_SECRET",
        "OKIENKO_WEBHOOK_MAX_CONNECTIONS",
        "OKIENKO_LISTEN",
        "OKIENKO_SHUTDOWN_SECONDS",
        "OKIENKO_OUTBOX_LEASE_SECONDS",
        "OKIENKO_STAFF_IDS",
        "OKIENKO_STAFF_CHATS",
        "OKIENKO_OFFER_MINUTES",
        "OKIENKO_DIRECTORY",
        "TELOXIDE_TOKEN",
        "TELOXIDE_API_URL",
        "DATABASE_URL",
        "OKIENKO_NOW",
        "OKIENKO_LOG",
        "RUST_LOG",
        "OKIENKO_DIALOGUE_TTL_HOURS",
    ];
    NAMES
        .into_iter()
        .find(|n| *n == name)
        .unwrap_or("an environment variable")
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    const TOKEN: &str = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";

    fn config(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let vars: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_lookup(|name| Ok(vars.get(name).cloned()))
    }

    fn error_line(vars: &[(&str, &str)]) -> String {
        match config(vars) {
            Ok(_) => panic!("expected a configuration error for {vars:?}"),
            Err(error) => error.to_string(),
        }
    }

    #[test]
    fn staff_ids_name_users_and_optionally_a_centre() {
        let staff = config(&[("OKIENKO_STAFF_IDS", "7001, 7002:cps")]).expect("valid");
        assert_eq!(
            staff.staff_ids,
            [
                StaffId {
                    user: 7001,
                    centre: None
                },
                StaffId {
                    user: 7002,
                    centre: Some("cps".into())
                }
            ]
        );
        for bad in ["abc", "7001:", "7001:CPS!", "-5"] {
            assert!(config(&[("OKIENKO_STAFF_IDS", bad)]).is_err(), "{bad}");
        }
    }

    #[test]
    fn defaults_need_nothing() {
        let config = config(&[]).expect("an empty environment is a valid one");
        assert_eq!(config.database_url.expose(), DEFAULT_DATABASE_URL);
        assert!(config.token.is_none());
        assert!(config.api_url.is_none());
        assert!(config.now.is_none());
        assert_eq!(config.log, DEFAULT_LOG);
        assert_eq!(config.dialogue_ttl, DEFAULT_DIALOGUE_TTL);
        assert_eq!(config.retention_days, 90);
        let missing = config.require_token().map(|_| ()).unwrap_err().to_string();
        assert!(
            missing.starts_with("TELOXIDE_TOKEN is not set"),
            "{missing}"
        );
    }

    #[test]
    fn health_listens_on_8080_and_stopping_takes_twenty_seconds_unless_set() {
        let default = config(&[]).expect("valid");
        assert_eq!(default.listen, Some(DEFAULT_LISTEN));
        assert_eq!(default.listen.map(|a| a.port()), Some(8080));
        assert_eq!(default.shutdown, Duration::from_secs(20));
        let set = config(&[
            ("OKIENKO_LISTEN", " 127.0.0.1:9090 "),
            ("OKIENKO_SHUTDOWN_SECONDS", "45"),
        ])
        .expect("valid");
        assert_eq!(set.listen, Some("127.0.0.1:9090".parse().expect("addr")));
        assert_eq!(set.shutdown, Duration::from_secs(45));
        assert!(config(&[("OKIENKO_LISTEN", "[::]:8080")]).is_ok());
        for (name, bad) in [
            ("OKIENKO_LISTEN", "8080"),
            ("OKIENKO_LISTEN", "localhost:8080"),
            ("OKIENKO_LISTEN", "0.0.0.0:http"),
            ("OKIENKO_SHUTDOWN_SECONDS", "0"),
            ("OKIENKO_SHUTDOWN_SECONDS", "soon"),
            ("OKIENKO_SHUTDOWN_SECONDS", "601"),
        ] {
            let line = error_line(&[(name, bad)]);
            assert!(
                line.starts_with(&format!("{name} is malformed: ")),
                "{line}"
            );
            assert!(!line.contains('\n'), "{line}");
        }
    }

    #[test]
    fn the_flood_budget_is_twenty_a_minute_unless_set() {
        let default = config(&[]).expect("valid").flood_per_minute.get();
        assert_eq!(default, 20);
        let set = config(&[("OKIENKO_FLOOD_PER_MINUTE", " 45 ")]).expect("valid");
        assert_eq!(set.flood_per_minute.get(), 45);
        for bad in ["0", "-1", "many", "1001", "2.5"] {
            let error = config(&[("OKIENKO_FLOOD_PER_MINUTE", bad)])
                .map(|_| ())
                .unwrap_err()
                .to_string();
            assert!(
                error.starts_with("OKIENKO_FLOOD_PER_MINUTE is malformed"),
                "{bad}: {error}"
            );
        }
    }

    #[test]
    fn all_values_are_read() {
        let config = config(&[
            ("TELOXIDE_TOKEN", TOKEN),
            ("TELOXIDE_API_URL", "http://127.0.0.1:8081"),
            ("DATABASE_URL", "postgres://bot@db:5432/okienko"),
            ("OKIENKO_NOW", "2026-11-23T09:00:00+01:00"),
            ("OKIENKO_LOG", "okienko=debug"),
            ("OKIENKO_DIALOGUE_TTL_HOURS", "2"),
            ("OKIENKO_DIRECTORY", "/etc/okienko/city.toml"),
            ("OKIENKO_STAFF_CHATS", "123, -1001234567890"),
            ("OKIENKO_OFFER_MINUTES", "15"),
            ("OKIENKO_RETENTION_DAYS", "30"),
        ])
        .expect("valid values");
        assert_eq!(config.require_token().map(BotToken::expose), Ok(TOKEN));
        assert_eq!(
            config.api_url.map(String::from).as_deref(),
            Some("http://127.0.0.1:8081/")
        );
        assert_eq!(config.now.map(|t| t.timestamp()), Some(1_795_420_800));
        assert_eq!(config.log, "okienko=debug");
        assert_eq!(config.dialogue_ttl, Duration::from_secs(7200));
        assert_eq!(config.directory, Some("/etc/okienko/city.toml".into()));
        assert_eq!(config.staff_chats, [123, -1_001_234_567_890]);
        assert_eq!(config.offer_minutes, 15);
        assert_eq!(config.retention_days, 30);
    }

    #[test]
    fn an_empty_database_url_is_an_error_not_the_default() {
        for empty in ["", "   "] {
            let line = error_line(&[("DATABASE_URL", empty)]);
            assert!(
                line.starts_with("DATABASE_URL is malformed: it is set but empty"),
                "{line}"
            );
        }
    }

    #[test]
    fn a_unix_socket_database_url_is_accepted() {
        let url = "postgresql:///okienko?host=/var/run/postgresql&user=okienko_bot";
        let config = config(&[("DATABASE_URL", url)]).expect("a socket URL");
        assert_eq!(config.database_url.expose(), url);
    }

    #[test]
    fn each_malformed_value_is_named_in_one_line() {
        let cases: [(&str, &str); 14] = [
            ("OKIENKO_RETENTION_DAYS", "ninety"),
            ("OKIENKO_RETENTION_DAYS", "-5"),
            ("OKIENKO_OUTBOX_LEASE_SECONDS", "soon"),
            ("OKIENKO_STAFF_CHATS", "123;456"),
            ("OKIENKO_OFFER_MINUTES", "forever"),
            ("TELOXIDE_TOKEN", "not-a-token"),
            ("TELOXIDE_TOKEN", "123:short"),
            ("TELOXIDE_API_URL", "localhost:8081"),
            ("DATABASE_URL", "mysql://localhost/okienko"),
            ("DATABASE_URL", "postgres://postgres@localhost:5432/"),
            ("OKIENKO_NOW", "23.11.2026 9:00"),
            ("OKIENKO_LOG", "okienko=[[["),
            ("OKIENKO_DIALOGUE_TTL_HOURS", "zero"),
            ("OKIENKO_LOG_FORMAT", "logfmt"),
        ];
        for (name, value) in cases {
            let line = error_line(&[(name, value)]);
            assert!(
                line.starts_with(&format!("{name} is malformed: ")),
                "{line}"
            );
            assert!(!line.contains('\n'), "one line: {line}");
            assert!(
                !line.contains(value),
                "the value itself is not echoed: {line}"
            );
        }
    }

    #[test]
    fn the_token_never_prints() {
        let config = config(&[("TELOXIDE_TOKEN", TOKEN)]).expect("valid token");
        let printed = format!("{config:?}");
        assert!(
            !printed.contains("AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"),
            "{printed}"
        );
        let line = error_line(&[("TELOXIDE_TOKEN", "123456789:short!")]);
        assert!(!line.contains("short!"), "{line}");
    }

    #[test]
    fn run_warns_of_a_set_clock_and_of_plain_http_to_another_machine() {
        assert!(config(&[]).expect("valid").run_warnings().is_empty());
        for quiet in [
            "http://127.0.0.1:8081",
            "http://localhost:8081",
            "http://[::1]:8081",
            "https://api.telegram.org",
            "https://10.0.0.5:8443",
        ] {
            let warnings = config(&[("TELOXIDE_API_URL", quiet)])
                .expect("valid")
                .run_warnings();
            assert!(warnings.is_empty(), "{quiet}: {warnings:?}");
        }
        for loud in ["http://10.0.0.5:8081", "http://bot-api.example.org"] {
            let warnings = config(&[("TELOXIDE_API_URL", loud), ("TELOXIDE_TOKEN", TOKEN)])
                .expect("valid")
                .run_warnings();
            assert_eq!(warnings.len(), 1, "{loud}");
            assert!(warnings[0].starts_with("TELOXIDE_API_URL is plain http://"));
            assert!(!warnings[0].contains("AAHdq"), "{}", warnings[0]);
        }
        let warnings = config(&[("OKIENKO_NOW", "2026-11-23T09:00:00+01:00")])
            .expect("valid")
            .run_warnings();
        assert_eq!(warnings.len(), 1);
        assert!(warnings[0].starts_with("OKIENKO_NOW is set"));
    }

    #[test]
    fn webhook_mode_needs_an_https_url_and_a_well_formed_secret() {
        assert!(config(&[]).expect("valid").webhook.is_none());
        let secret = "s3cr3t_-XYZ";
        let webhook = config(&[
            ("OKIENKO_WEBHOOK_URL", "https://bot.example.org/telegram"),
            ("OKIENKO_WEBHOOK_SECRET", secret),
        ])
        .expect("valid")
        .webhook
        .expect("webhook mode");
        assert_eq!(webhook.path(), "/telegram");
        assert_eq!(webhook.max_connections, 40);
        assert_eq!(webhook.secret.expose(), secret);
        assert!(!format!("{webhook:?}").contains(secret));

        let missing = error_line(&[("OKIENKO_WEBHOOK_URL", "https://bot.example.org/tg")]);
        assert!(
            missing.starts_with("OKIENKO_WEBHOOK_SECRET is not set"),
            "{missing}"
        );
        for bad in ["has space", "ąę", "semi;colon", &"a".repeat(257)] {
            let line = error_line(&[
                ("OKIENKO_WEBHOOK_URL", "https://bot.example.org/tg"),
                ("OKIENKO_WEBHOOK_SECRET", bad),
            ]);
            assert!(
                line.starts_with("OKIENKO_WEBHOOK_SECRET is malformed"),
                "{line}"
            );
            assert!(!line.contains(bad), "the secret is never echoed: {line}");
        }
        assert!(config(&[
            ("OKIENKO_WEBHOOK_URL", "https://bot.example.org/tg"),
            ("OKIENKO_WEBHOOK_SECRET", &"a".repeat(256)),
        ])
        .is_ok());
        for bad in [
            "http://bot.example.org/tg",
            "ftp://bot.example.org/tg",
            "https://bot.example.org/tg?x=1",
            "not a url",
        ] {
            let line = error_line(&[
                ("OKIENKO_WEBHOOK_URL", bad),
                ("OKIENKO_WEBHOOK_SECRET", secret),
            ]);
            assert!(
                line.starts_with("OKIENKO_WEBHOOK_URL is malformed"),
                "{bad}: {line}"
            );
        }
        // Plain http to this machine: allowed, and warned of.
        let local = config(&[
            ("OKIENKO_WEBHOOK_URL", "http://127.0.0.1:8080/tg"),
            ("OKIENKO_WEBHOOK_SECRET", secret),
            ("OKIENKO_WEBHOOK_MAX_CONNECTIONS", "100"),
        ])
        .expect("valid");
        assert_eq!(local.webhook.as_ref().map(|w| w.max_connections), Some(100));
        let warnings = local.run_warnings();
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(warnings[0].starts_with("OKIENKO_WEBHOOK_URL is plain http://"));
        for bad in ["0", "101", "many"] {
            let line = error_line(&[("OKIENKO_WEBHOOK_MAX_CONNECTIONS", bad)]);
            assert!(line.starts_with("OKIENKO_WEBHOOK_MAX_CONNECTIONS is malformed"));
        }
    }

    #[test]
    fn blank_values_count_as_unset() {
        let config = config(&[("TELOXIDE_API_URL", "  "), ("OKIENKO_NOW", "")]).expect("blank");
        assert!(config.api_url.is_none() && config.now.is_none());
    }
}
