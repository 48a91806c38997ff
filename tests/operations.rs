//! Issue 11 ("Trust"), operations, through the real `okienko` program as an operator runs it:
//! nothing secret or personal in a debug log, the bot serving under a database role that may
//! only read and write rows, and loud warnings for settings that do not belong in production.

mod common;

use std::{
    net::SocketAddr,
    path::PathBuf,
    process::Command,
    time::{Duration, Instant},
};

use common::{assert_has, server_url, BotProcess, Phone, PATIENCE, TOKEN};
use okienko::emulator::{Emulator, EmulatorClient, EmulatorHandle, Fault};
use sqlx::{Connection, PgConnection, PgPool};

/// Monday 9 November 2026, 9:00: legal aid on Monday 16 November is bookable.
const NOV_9: &str = "2026-11-09T09:00:00+01:00";

async fn emulator() -> EmulatorHandle {
    Emulator::new(TOKEN)
        .serve(SocketAddr::from(([127, 0, 0, 1], 0)))
        .await
        .expect("emulator")
}

/// A log file of its own for one run of the program.
fn log_file(name: &str) -> (PathBuf, std::fs::File) {
    let path = std::env::temp_dir().join(format!(
        "okienko-{name}-{}-{}.log",
        std::process::id(),
        chrono::Utc::now().timestamp_nanos_opt().unwrap_or_default()
    ));
    let file = std::fs::File::create(&path).expect("log file");
    (path, file)
}

/// Waits until the log at `path` has a line that `wanted` accepts; the whole log.
async fn log_with(path: &PathBuf, what: &str, wanted: impl Fn(&str) -> bool) -> String {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let log = std::fs::read_to_string(path).unwrap_or_default();
        if log.lines().any(&wanted) {
            return log;
        }
        assert!(Instant::now() < deadline, "no {what} in the log:\n{log}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Books legal aid on Monday 16 November at `time` as `name`, giving the phone as `give`.
async fn book(phone: &mut Phone, time: &str, name: &str, give: impl AsyncFnOnce(&mut Phone)) {
    phone.say("chcę się umówić do prawnika").await;
    phone.press("pon 16.11").await;
    phone.press(time).await;
    phone.say(name).await;
    give(phone).await;
    assert_has(&phone.press("✅ Potwierdzam").await.text, &["✅ Umówione"]);
}

/// The whole log of a booking flow at the most talkative level (trace, every crate: teloxide,
/// reqwest, hyper, sqlx), with Telegram refusing twice (429 and 500), holds neither the token nor
/// any phone number in the forms the people typed nor their names.
#[sqlx::test]
async fn a_trace_log_holds_no_token_no_phone_number_and_no_name(pool: PgPool) {
    let server = emulator().await;
    let (path, file) = log_file("trace");
    let mut bot = BotProcess::run_logging(
        &server,
        &pool,
        &[
            ("OKIENKO_LOG", "trace"),
            ("OKIENKO_NOW", NOV_9),
            ("OKIENKO_STAFF_CHATS", "7001"),
        ],
        file,
    );
    let client = EmulatorClient::new(server.url.clone());
    let mut staff = Phone::new(client.clone(), 7001, Some("pl"));
    staff.say("/start").await;
    client
        .add_fault(Fault::too_many_requests("sendMessage", 1).for_chat(11))
        .await
        .expect("429 armed");
    let mut anna = Phone::new(client.clone(), 11, Some("pl"));
    anna.say("/start").await;
    book(&mut anna, "13:00", "Anna Kowalska", async |anna| {
        client
            .add_fault(Fault::error("sendMessage", 500, "Internal Server Error").for_chat(11))
            .await
            .expect("500 armed");
        // The thanks is refused: the bot apologises, and the number is typed again.
        let apology = anna.ask("600 100 200").await;
        assert!(apology.starts_with("Przepraszam"), "{apology}");
        assert_eq!(anna.ask("600100200").await, "Dziękuję.");
        anna.next_message().await;
    })
    .await;
    anna.next_message().await; // the calendar file
    let mut jan = Phone::new(client.clone(), 12, Some("pl"));
    jan.say("/start").await;
    book(&mut jan, "13:30", "Jan Nowak", async |jan| {
        client
            .send_contact(&jan.user, "+48600100200")
            .await
            .expect("contact shared");
        assert_eq!(jan.next_message().await.text, "Dziękuję.");
        jan.next_message().await;
    })
    .await;
    for _ in 0..2 {
        assert_has(&staff.next_message().await.text, &["🆕 Nowa wizyta"]);
    }
    bot.kill();
    let log = std::fs::read_to_string(&path).expect("log read");
    let _ = std::fs::remove_file(&path);
    // The log is the flow's: the updates of both people, the refused requests, the staff notices.
    assert!(log.lines().count() > 200, "{} lines", log.lines().count());
    assert_has(&log, &["chat_id=11", "chat_id=12", "outbox job done"]);
    let secret = TOKEN.split_once(':').map(|(_, s)| s).unwrap_or(TOKEN);
    for private in [
        TOKEN,
        secret,
        "600100200",
        "600 100 200",
        "+48600100200",
        "+48 600 100 200",
        "Kowalska",
        "Nowak",
    ] {
        if let Some(line) = log.lines().find(|line| line.contains(private)) {
            panic!("{private:?} in the log: {line}");
        }
    }
}

/// Roles and a database of their own for one test (roles belong to the whole server): removed
/// when dropped, whatever the test's outcome.
struct Roles {
    admin: String,
    owner: String,
    bot: String,
    database: String,
}

impl Roles {
    async fn create(pool: &PgPool) -> Self {
        let tag = format!(
            "{}_{}",
            std::process::id(),
            chrono::Utc::now().timestamp_subsec_nanos()
        );
        let roles = Roles {
            admin: common::database_url(pool),
            owner: format!("okienko_owner_{tag}"),
            bot: format!("okienko_bot_{tag}"),
            database: format!("okienko_roles_{tag}"),
        };
        for sql in [
            format!("create role {} login", roles.owner),
            format!("create role {} login", roles.bot),
            format!("create database {} owner {}", roles.database, roles.owner),
        ] {
            sqlx::query(&sql).execute(pool).await.expect("created");
        }
        roles
    }

    fn drop_all(admin: &str, database: &str, owner: &str, bot: &str) {
        let (admin, database, owner, bot) = (
            admin.to_owned(),
            database.to_owned(),
            owner.to_owned(),
            bot.to_owned(),
        );
        // Drop is not async: the clean-up gets a runtime of its own.
        let _ = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime");
            runtime.block_on(async {
                let Ok(mut admin) = PgConnection::connect(&admin).await else {
                    return;
                };
                for sql in [
                    format!("drop database if exists {database} with (force)"),
                    format!("drop role if exists {bot}"),
                    format!("drop role if exists {owner}"),
                ] {
                    let _ = sqlx::query(&sql).execute(&mut admin).await;
                }
            });
        })
        .join();
    }
}

impl Drop for Roles {
    fn drop(&mut self) {
        Self::drop_all(&self.admin, &self.database, &self.owner, &self.bot);
    }
}

/// The least-privilege setup the README shows: an owner role applies the migrations and grants
/// a second role only the reading and writing of rows; `okienko run` as that role starts,
/// skips the migrations it may not apply (there are none to apply), and serves a booking.
#[sqlx::test]
async fn run_serves_under_a_role_that_may_only_read_and_write_rows(pool: PgPool) {
    let roles = Roles::create(&pool).await;
    let owner_url = server_url(&pool, &roles.owner, &roles.database);
    let bot_url = server_url(&pool, &roles.bot, &roles.database);
    // As the README shows: the owner lets the bot's role read and write the rows of every table
    // it will create (so each later `okienko migrate` needs no new grant), then migrates.
    let mut owner = PgConnection::connect(&owner_url).await.expect("owner");
    for sql in [
        format!("grant usage on schema public to {}", roles.bot),
        format!(
            "alter default privileges in schema public grant select, insert, update, delete on tables to {}",
            roles.bot
        ),
        format!(
            "alter default privileges in schema public grant usage, select on sequences to {}",
            roles.bot
        ),
    ] {
        sqlx::query(&sql)
            .execute(&mut owner)
            .await
            .expect("granted");
    }
    let mut migrate = Command::new(env!("CARGO_BIN_EXE_okienko"));
    migrate
        .arg("migrate")
        .current_dir(std::env::temp_dir())
        .env_remove("RUST_LOG")
        .env("DATABASE_URL", &owner_url)
        .env("OKIENKO_LOG", "warn");
    let migrated = tokio::task::spawn_blocking(move || migrate.output())
        .await
        .expect("joined")
        .expect("okienko migrate runs");
    assert!(
        migrated.status.success(),
        "{}",
        String::from_utf8_lossy(&migrated.stderr)
    );
    let may_create: bool = sqlx::query_scalar(&format!(
        "select has_schema_privilege('{}', 'public', 'create')",
        roles.bot
    ))
    .fetch_one(&mut owner)
    .await
    .expect("asked");
    assert!(!may_create, "the bot's role may not create tables");
    let owns: i64 = sqlx::query_scalar(&format!(
        "select count(*) from pg_tables where schemaname = 'public' and tableowner = '{}'",
        roles.bot
    ))
    .fetch_one(&mut owner)
    .await
    .expect("asked");
    assert_eq!(owns, 0, "the bot's role owns no table");

    let server = emulator().await;
    let (path, file) = log_file("dml");
    let mut bot = BotProcess::run_logging(
        &server,
        &pool,
        &[
            ("DATABASE_URL", bot_url.as_str()),
            ("OKIENKO_LOG", "warn"),
            ("OKIENKO_NOW", NOV_9),
        ],
        file,
    );
    let client = EmulatorClient::new(server.url.clone());
    let mut anna = Phone::new(client.clone(), 11, Some("pl"));
    let started = Instant::now();
    let polled = async || {
        let calls = client.calls().await.unwrap_or_default();
        calls
            .get("getupdates")
            .and_then(|n| n.as_u64())
            .unwrap_or(0)
            > 0
    };
    while !polled().await {
        let log = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            started.elapsed() < PATIENCE,
            "the bot did not start:\n{log}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    anna.say("/start").await;
    book(&mut anna, "13:00", "Anna Kowalska", async |anna| {
        assert_eq!(anna.ask("600 100 200").await, "Dziękuję.");
        anna.next_message().await;
    })
    .await;
    let booked: i64 = sqlx::query_scalar("select count(*) from booking where status = 'active'")
        .fetch_one(&mut owner)
        .await
        .expect("counted");
    assert_eq!(booked, 1);
    bot.kill();
    owner.close().await.expect("closed");
    let log = std::fs::read_to_string(&path).unwrap_or_default();
    let _ = std::fs::remove_file(&path);
    // The emulator is on this machine: no warning of plain HTTP.
    assert!(!log.contains("TELOXIDE_API_URL"), "{log}");
    drop(roles);
}

/// `okienko run` with the clock set by OKIENKO_NOW, and with the Bot API reached over plain
/// HTTP on another machine (the token would travel unencrypted): a WARN line for each, printed
/// at start even when only warnings are logged.
#[sqlx::test]
async fn run_warns_loudly_of_a_set_clock_and_of_plain_http_to_another_host(pool: PgPool) {
    let server = emulator().await;
    let (path, file) = log_file("warn");
    let mut bot = BotProcess::run_logging(
        &server,
        &pool,
        &[
            ("OKIENKO_LOG", "warn"),
            ("OKIENKO_NOW", NOV_9),
            ("TELOXIDE_API_URL", "http://10.255.255.1:9/"),
        ],
        file,
    );
    let is_warning =
        |name: &'static str| move |line: &str| line.contains("WARN") && line.contains(name);
    let log = log_with(&path, "warning of OKIENKO_NOW", is_warning("OKIENKO_NOW")).await;
    let log_http = log_with(
        &path,
        "warning of plain HTTP",
        is_warning("TELOXIDE_API_URL"),
    )
    .await;
    bot.kill();
    let _ = std::fs::remove_file(&path);
    assert!(!log_http.contains(TOKEN), "{log_http}");
    let clock = log
        .lines()
        .find(|line| is_warning("OKIENKO_NOW")(line))
        .unwrap_or_default();
    assert_has(clock, &["2026-11-09"]);
    let http = log_http
        .lines()
        .find(|line| is_warning("TELOXIDE_API_URL")(line))
        .unwrap_or_default();
    assert_has(http, &["10.255.255.1"]);

    // A log filter that hides warnings does not hide these.
    let (path, file) = log_file("warn-error");
    let mut bot = BotProcess::run_logging(
        &server,
        &pool,
        &[("OKIENKO_LOG", "error"), ("OKIENKO_NOW", NOV_9)],
        file,
    );
    log_with(
        &path,
        "warning of OKIENKO_NOW at OKIENKO_LOG=error",
        |line| line.starts_with("okienko: WARNING: OKIENKO_NOW is set"),
    )
    .await;
    bot.kill();
    let _ = std::fs::remove_file(&path);
}
