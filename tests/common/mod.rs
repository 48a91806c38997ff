//! The test harness: the real bot against the Bot API emulator on a free loopback port and a fresh
//! PostgreSQL database, with a [`Phone`] that plays one user over the emulator's HTTP interface.
#![allow(dead_code)]

pub mod proxy;
pub mod questions;
pub mod webhook;

use std::{
    collections::VecDeque,
    net::SocketAddr,
    process::{Child, Command, Stdio},
    time::Duration,
};

use chrono::DateTime;
use okienko::{
    app::{Application, Running},
    bot::Services,
    config::{BotToken, Config, Secret},
    emulator::{ChatMessage, Emulator, EmulatorClient, EmulatorHandle, EventKind, UserProfile},
    i18n::Lang,
};
use sqlx::PgPool;

/// The staff chat named in the bot's configuration during tests.
pub const STAFF_CHAT: i64 = 9000;
pub const TOKEN: &str = "4242:test-token-for-the-emulator-0000";
/// How long a test waits for the bot before it fails.
pub const PATIENCE: Duration = Duration::from_secs(15);

/// The configuration the tests run the bot with: the defaults, with the test's own database, the
/// staff chat, and a waiting list looked at often. A test changes fields of it before the start.
pub fn config(pool: &PgPool) -> Config {
    let mut config = Config::defaults();
    config.database_url = Secret::new(database_url(pool));
    config.token = Some(BotToken::parse(TOKEN).expect("the test token is well formed"));
    config.staff_chats = vec![STAFF_CHAT];
    config.waitlist_every = Duration::from_millis(300);
    // A test types faster than any person: the flood budget is out of its way (tests/flood.rs
    // sets the budget it checks).
    config.flood_per_minute = std::num::NonZeroU32::new(10_000).expect("a budget");
    // Health and metrics on a free loopback port of each bot's own.
    config.listen = Some(SocketAddr::from(([127, 0, 0, 1], 0)));
    config
}

/// `config.now` at an RFC 3339 instant, as `OKIENKO_NOW` sets it.
pub fn at(config: &mut Config, now: &str) {
    config.now = Some(DateTime::parse_from_rfc3339(now).expect("a valid instant"));
}

pub struct TestBot {
    pub client: EmulatorClient,
    pub emulator: EmulatorHandle,
    pub services: Services,
    /// Where this bot serves `/healthz`, `/readyz` and `/metrics`.
    pub http: Option<SocketAddr>,
    _running: Running,
}

impl TestBot {
    /// The bot on the system clock.
    pub async fn start(pool: PgPool) -> Self {
        Self::start_with(pool, |_| {}).await
    }

    /// The bot with its clock started at `now` (an RFC 3339 instant), as `OKIENKO_NOW` does.
    pub async fn start_at(pool: PgPool, now: &str) -> Self {
        Self::start_with(pool, |config| at(config, now)).await
    }

    /// The bot as [`config`] and then `change` set it up, assembled as `okienko run` assembles
    /// it, against the emulator on a free loopback port.
    pub async fn start_with(pool: PgPool, change: impl FnOnce(&mut Config)) -> Self {
        okienko::telemetry::init("warn,okienko=info");
        let emulator = Emulator::new(TOKEN)
            .serve(SocketAddr::from(([127, 0, 0, 1], 0)))
            .await
            .expect("the emulator starts");
        let mut config = config(&pool);
        config.api_url = Some(emulator.url.clone());
        change(&mut config);
        let app = Application::build(&config)
            .await
            .expect("the bot assembles");
        app.connect().await.expect("the bot accepts the emulator");
        let running = app.start(false);
        let client = EmulatorClient::new(emulator.url.clone());
        Self {
            client,
            emulator,
            services: running.services().clone(),
            http: running.http_addr(),
            _running: running,
        }
    }

    pub fn phone(&self, id: i64, language_code: Option<&str>) -> Phone {
        Phone::new(self.client.clone(), id, language_code)
    }

    /// The staff member's phone; their chat exists once they have written to the bot.
    pub async fn staff(&self) -> Phone {
        let mut staff = self.phone(STAFF_CHAT, Some("pl"));
        staff.say("/start").await;
        staff
    }

    /// A message from the locales, as the bot would write it.
    pub fn text(&self, lang: Lang, id: &str) -> String {
        self.services.locales.plain(lang, id)
    }

    /// Fails the test when any message was missing from the locales during it.
    pub fn assert_no_locale_problems(&self) {
        assert_eq!(
            self.services.locales.problems(),
            0,
            "a message id or variable was missing"
        );
    }
}

/// One user's phone: sends as that user, and reads what the bot sent to their chat.
pub struct Phone {
    pub client: EmulatorClient,
    pub user: UserProfile,
    seen: u64,
    inbox: VecDeque<ChatMessage>,
    /// Notices shown when the bot answered a button press.
    pub notices: Vec<String>,
    /// Agrees at once when the bot asks for consent to store a name and phone (before the first
    /// booking or waiting list), so that stories about something else need not say so; the
    /// consent step itself is told in tests/privacy.rs, with [`Phone::deciding`].
    pub consents: bool,
}

impl Phone {
    /// The phone of user `id`, whose Telegram app is set to `language_code`.
    pub fn new(client: EmulatorClient, id: i64, language_code: Option<&str>) -> Self {
        Phone {
            client,
            user: UserProfile::new(id, "Test", language_code),
            seen: 0,
            inbox: VecDeque::new(),
            notices: Vec::new(),
            consents: true,
        }
    }

    /// The same person, who reads the consent question and answers it themselves.
    pub fn deciding(mut self) -> Self {
        self.consents = false;
        self
    }

    pub fn chat_id(&self) -> i64 {
        self.user.id
    }

    /// Types a message and returns the bot's first reply to it.
    pub async fn say(&mut self, text: &str) -> ChatMessage {
        self.client
            .send_text(&self.user, text)
            .await
            .expect("the emulator takes the message");
        self.next_message().await
    }

    /// Says `text` and returns the reply's text.
    pub async fn ask(&mut self, text: &str) -> String {
        self.say(text).await.text
    }

    /// Presses the button labelled `label` on the newest bot message that has it.
    pub async fn press(&mut self, label: &str) -> ChatMessage {
        let (message_id, data) = self.find_button(label).await;
        self.press_data(message_id, &data).await;
        self.next_message().await
    }

    /// Presses a button with any callback data, as a forged or stale press would.
    pub async fn press_data(&mut self, message_id: i64, data: &str) {
        self.client
            .press(&self.user, message_id, data)
            .await
            .expect("the emulator takes the press");
    }

    async fn find_button(&self, label: &str) -> (i64, String) {
        let chat = self
            .client
            .chat(self.chat_id())
            .await
            .expect("the chat is readable");
        chat.iter()
            .rev()
            .filter(|m| m.from_bot && !m.deleted)
            .find_map(|m| {
                m.inline_keyboard
                    .iter()
                    .flatten()
                    .find(|b| b.text == label)
                    .and_then(|b| Some((m.message_id, b.callback_data.clone()?)))
            })
            .unwrap_or_else(|| panic!("no button {label:?} in the chat"))
    }

    /// The next message the bot sent to this chat; fails the test after [`PATIENCE`].
    pub async fn next_message(&mut self) -> ChatMessage {
        self.next_message_within(PATIENCE).await
    }

    /// The next message the bot sent to this chat; fails the test after `patience` (for a
    /// message due at a time on the bot's clock, such as a reminder).
    pub async fn next_message_within(&mut self, patience: Duration) -> ChatMessage {
        let deadline = tokio::time::Instant::now() + patience;
        loop {
            if let Some(message) = self.inbox.pop_front() {
                if self.consents && asks_consent(&message) {
                    self.press_data(message.message_id, CONSENT_YES).await;
                    continue;
                }
                return message;
            }
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            assert!(
                !left.is_zero(),
                "the bot sent nothing to chat {} in time",
                self.chat_id()
            );
            self.pull(left).await;
        }
    }

    /// Asserts that the bot sends nothing more to this chat for `quiet`.
    pub async fn expect_silence(&mut self, quiet: Duration) {
        let deadline = tokio::time::Instant::now() + quiet;
        while tokio::time::Instant::now() < deadline {
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            self.pull(left).await;
            if let Some(message) = self.inbox.front() {
                panic!("expected silence, the bot sent {:?}", message.text);
            }
        }
    }

    async fn pull(&mut self, wait: Duration) {
        let events = self
            .client
            .events_after(self.seen, wait)
            .await
            .expect("events are readable");
        for event in events {
            self.seen = event.seq;
            if event.chat_id != self.chat_id() {
                continue;
            }
            match event.kind {
                EventKind::Sent { message } => self.inbox.push_back(message),
                EventKind::CallbackAnswered {
                    text: Some(text), ..
                } => self.notices.push(text),
                _ => {}
            }
        }
    }
}

/// The callback data of the consent question's "I agree".
pub const CONSENT_YES: &str = "cy";

/// Whether the bot asks in `message` for consent to store a name and phone.
pub fn asks_consent(message: &ChatMessage) -> bool {
    message
        .inline_keyboard
        .iter()
        .flatten()
        .any(|b| b.callback_data.as_deref() == Some(CONSENT_YES))
}

/// The real `okienko run` program against an emulator and the test's database, configured by
/// environment variables as an operator configures it; killed (SIGKILL) when dropped, so a failing
/// test leaves none behind.
pub struct BotProcess(Child);

impl BotProcess {
    pub fn run(server: &EmulatorHandle, pool: &PgPool, env: &[(&str, &str)]) -> Self {
        Self::run_logging(server, pool, env, Stdio::null())
    }

    /// The same, with its standard error (the log) going to `log`.
    pub fn run_logging(
        server: &EmulatorHandle,
        pool: &PgPool,
        env: &[(&str, &str)],
        log: impl Into<Stdio>,
    ) -> Self {
        let mut command = Command::new(env!("CARGO_BIN_EXE_okienko"));
        command
            .arg("run")
            .current_dir(std::env::temp_dir())
            .env_remove("RUST_LOG")
            .env("TELOXIDE_TOKEN", TOKEN)
            .env("TELOXIDE_API_URL", server.url.as_str())
            .env("DATABASE_URL", database_url(pool))
            .env("OKIENKO_LOG", "warn")
            // Health and metrics on a free port, so that bots started at once do not collide.
            .env("OKIENKO_LISTEN", "127.0.0.1:0")
            .envs(env.iter().copied())
            .stdout(Stdio::null())
            .stderr(log);
        Self(command.spawn().expect("the bot starts"))
    }

    /// The process id, for a signal.
    pub fn id(&self) -> u32 {
        self.0.id()
    }

    /// Sends `signal` (`TERM`, `INT`) to the process, as systemd or a terminal does.
    pub fn signal(&self, signal: &str) {
        let sent = Command::new("kill")
            .arg(format!("-{signal}"))
            .arg(self.0.id().to_string())
            .status()
            .expect("kill runs");
        assert!(sent.success(), "kill -{signal} failed");
    }

    /// Waits up to `patience` for the process to end; its exit status, or None if still running.
    pub async fn exited_within(&mut self, patience: Duration) -> Option<std::process::ExitStatus> {
        let deadline = tokio::time::Instant::now() + patience;
        loop {
            if let Ok(Some(status)) = self.0.try_wait() {
                return Some(status);
            }
            if tokio::time::Instant::now() >= deadline {
                return None;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    pub fn kill(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl Drop for BotProcess {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Mediation has three slots in the four weeks from 9 November 2026 (the third Monday, 16
/// November, 13:00 to 16:00 Chorzów time): three people, ids 1 to 3, hold them.
pub async fn mediation_fully_booked(pool: &PgPool) {
    for (i, hour) in [(1, 12), (2, 13), (3, 14)] {
        sqlx::query(&format!(
            "insert into booking (service_key, slot_start, slot_end, seat, telegram_id, chat_id, name, phone, language, status, created_at)
             values ('mediation', '2026-11-16T{hour}:00:00Z', '2026-11-16T{}:00:00Z', 1, {i}, {i}, 'Osoba', '+4860010020{i}', 'pl', 'active', now())",
            hour + 1
        ))
        .execute(pool)
        .await
        .expect("booked");
    }
}

/// Fails with the whole text when a part is missing from it.
pub fn assert_has(text: &str, parts: &[&str]) {
    for part in parts {
        assert!(text.contains(part), "{part:?} missing from:\n{text}");
    }
}

/// A single number from the database (a count, an id).
pub async fn count(pool: &PgPool, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(pool)
        .await
        .expect("count")
}

/// The labels of a message's inline buttons, row by row flattened.
pub fn labels(message: &ChatMessage) -> Vec<String> {
    message
        .inline_keyboard
        .iter()
        .flatten()
        .map(|b| b.text.clone())
        .collect()
}

/// A URL for the test's own database, for the binary under test.
pub fn database_url(pool: &PgPool) -> String {
    let options = pool.connect_options();
    let own = options.get_database().unwrap_or_default().to_owned();
    server_url(pool, options.get_username(), &own)
}

/// A URL on the test's server for the database `name` as `user` (a database the test creates,
/// or expects to be missing).
pub fn server_url(pool: &PgPool, user: &str, name: &str) -> String {
    let options = pool.connect_options();
    format!(
        "postgres://{user}@{}:{}/{name}",
        options.get_host(),
        options.get_port()
    )
}
