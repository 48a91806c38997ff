//! Issue 12, health, metrics and stopping, through the real `okienko run` as an operator runs it:
//! `/healthz` and `/readyz` on `OKIENKO_LISTEN` following the database as it goes away and comes
//! back, `/metrics` counting a question and a booking, SIGTERM in the middle of answering, and
//! the two new settings refused in one line when malformed.

mod common;

use std::{
    collections::BTreeMap,
    net::SocketAddr,
    process::{Command, Stdio},
    time::{Duration, Instant},
};

use common::{
    assert_has, count, database_url,
    proxy::{Cut, Proxy},
    BotProcess, Phone, PATIENCE, TOKEN,
};
use okienko::emulator::{Emulator, EmulatorClient, EmulatorHandle, Fault};
use sqlx::PgPool;

/// Monday 9 November 2026, 9:00: legal aid on Monday 16 November is bookable.
const NOV_9: &str = "2026-11-09T09:00:00+01:00";

async fn emulator() -> EmulatorHandle {
    Emulator::new(TOKEN)
        .serve(SocketAddr::from(([127, 0, 0, 1], 0)))
        .await
        .expect("emulator")
}

/// A loopback address with a port free a moment ago, for `OKIENKO_LISTEN`.
fn free_addr() -> SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    listener.local_addr().expect("its address")
}

/// GET `path` on the bot's HTTP server: the status and the body, or None when nothing answers.
async fn get(addr: SocketAddr, path: &str) -> Option<(u16, String)> {
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(5))
        .build()
        .expect("http client");
    let response = client
        .get(format!("http://{addr}{path}"))
        .send()
        .await
        .ok()?;
    let status = response.status().as_u16();
    Some((status, response.text().await.unwrap_or_default()))
}

/// Waits until `path` answers `status`; fails with what it answered last.
async fn until_status(addr: SocketAddr, path: &str, status: u16, patience: Duration) -> String {
    let deadline = Instant::now() + patience;
    loop {
        let answer = get(addr, path).await;
        if let Some((got, body)) = &answer {
            if *got == status {
                return body.clone();
            }
        }
        assert!(
            Instant::now() < deadline,
            "{path} did not answer {status} within {patience:?}; last: {answer:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The samples of a Prometheus text exposition: (name, sorted labels) to value. Comment lines
/// (`# HELP`, `# TYPE`) are checked to be the only other lines.
type Samples = BTreeMap<(String, Vec<(String, String)>), f64>;

fn parse_metrics(text: &str) -> Samples {
    let mut samples = Samples::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        if line.starts_with('#') {
            assert!(
                line.starts_with("# HELP ") || line.starts_with("# TYPE "),
                "{line}"
            );
            continue;
        }
        let (series, value) = line.rsplit_once(' ').expect("a sample has a value");
        let value: f64 = value.parse().unwrap_or_else(|_| panic!("a number: {line}"));
        let (name, labels) = match series.split_once('{') {
            None => (series.to_owned(), Vec::new()),
            Some((name, rest)) => {
                let inside = rest.strip_suffix('}').expect("labels end with }");
                let mut labels: Vec<(String, String)> = inside
                    .split(',')
                    .filter(|pair| !pair.is_empty())
                    .map(|pair| {
                        let (key, value) = pair.split_once('=').expect("label=value");
                        let value = value
                            .strip_prefix('"')
                            .and_then(|v| v.strip_suffix('"'))
                            .expect("a quoted label value");
                        (key.to_owned(), value.to_owned())
                    })
                    .collect();
                labels.sort();
                (name.to_owned(), labels)
            }
        };
        assert!(
            samples.insert((name, labels), value).is_none(),
            "one sample per series: {line}"
        );
    }
    samples
}

/// The value of `name` with exactly `labels`, if present.
fn sample(samples: &Samples, name: &str, labels: &[(&str, &str)]) -> Option<f64> {
    let mut labels: Vec<(String, String)> = labels
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    labels.sort();
    samples.get(&(name.to_owned(), labels)).copied()
}

/// `okienko run` against `server`, with `OKIENKO_LISTEN` set to `addr` and `env` on top.
fn run(
    server: &EmulatorHandle,
    pool: &PgPool,
    addr: SocketAddr,
    env: &[(&str, &str)],
) -> BotProcess {
    let listen = addr.to_string();
    let mut all = vec![("OKIENKO_LISTEN", listen.as_str())];
    all.extend_from_slice(env);
    BotProcess::run(server, pool, &all)
}

/// The bot's database reached through a proxy the test cuts: `/readyz` says 503 while it is cut
/// and 200 again once it is back, without a restart; `/healthz` says the process lives
/// throughout.
#[sqlx::test]
async fn readyz_follows_the_database_away_and_back_and_healthz_stays(pool: PgPool) {
    let options = pool.connect_options();
    let target = tokio::net::lookup_host((options.get_host(), options.get_port()))
        .await
        .expect("the database resolves")
        .next()
        .expect("an address");
    let proxy = Proxy::start(target).await;
    let own = format!("{}:{}", options.get_host(), options.get_port());
    let through = database_url(&pool).replacen(&own, &proxy.addr.to_string(), 1);
    let server = emulator().await;
    let addr = free_addr();
    let _bot = run(&server, &pool, addr, &[("DATABASE_URL", &through)]);

    let body = until_status(addr, "/readyz", 200, PATIENCE).await;
    assert_eq!(body.trim(), "ready");
    assert_eq!(get(addr, "/healthz").await, Some((200, "ok\n".into())));

    proxy.cut(Cut::Reset);
    let cut = Instant::now();
    let body = until_status(addr, "/readyz", 503, Duration::from_secs(10)).await;
    assert_has(&body, &["not ready", "database"]);
    assert!(
        cut.elapsed() < Duration::from_secs(5),
        "{:?}",
        cut.elapsed()
    );
    assert_eq!(get(addr, "/healthz").await, Some((200, "ok\n".into())));
    // The metrics still answer, in bounded time, without the database's numbers.
    let asked = Instant::now();
    let (status, text) = get(addr, "/metrics").await.expect("/metrics answers");
    assert_eq!(status, 200);
    assert!(
        asked.elapsed() < Duration::from_secs(4),
        "{:?}",
        asked.elapsed()
    );
    let samples = parse_metrics(&text);
    assert!(sample(&samples, "okienko_db_connections", &[("state", "idle")]).is_some());

    proxy.restore();
    until_status(addr, "/readyz", 200, Duration::from_secs(15)).await;
    assert_eq!(get(addr, "/healthz").await, Some((200, "ok\n".into())));
}

/// A migration the binary ships but the database lacks: not ready (an old schema would fail the
/// first booking), though the database answers.
#[sqlx::test]
async fn readyz_says_unready_while_a_shipped_migration_is_missing(pool: PgPool) {
    let server = emulator().await;
    let addr = free_addr();
    let _bot = run(&server, &pool, addr, &[]);
    until_status(addr, "/readyz", 200, PATIENCE).await;
    sqlx::query("update _sqlx_migrations set success = false where version = (select max(version) from _sqlx_migrations)")
        .execute(&pool)
        .await
        .expect("a migration unrecorded");
    let body = until_status(addr, "/readyz", 503, Duration::from_secs(5)).await;
    assert_has(&body, &["migrations"]);
}

/// Books legal aid on Monday 16 November at 13:00 as Anna.
async fn book(anna: &mut Phone) {
    anna.say("chcę się umówić do prawnika").await;
    anna.press("pon 16.11").await;
    anna.press("13:00").await;
    anna.say("Anna Kowalska").await;
    assert_eq!(anna.ask("600100200").await, "Dziękuję.");
    anna.next_message().await;
    assert_has(&anna.press("✅ Potwierdzam").await.text, &["✅ Umówione"]);
}

/// After a question (whose reply Telegram first refuses with 429) and a booking, `/metrics`
/// holds, parsed from its text: the updates by kind and outcome and their handling times, the
/// booking made for legal aid, the refusal by its code, the outbox by state as the database has
/// it, and the pool's connections.
#[sqlx::test]
async fn metrics_count_a_question_a_booking_the_outbox_and_the_pool(pool: PgPool) {
    let server = emulator().await;
    let addr = free_addr();
    let _bot = run(
        &server,
        &pool,
        addr,
        &[("OKIENKO_NOW", NOV_9), ("OKIENKO_STAFF_CHATS", "7001")],
    );
    let client = EmulatorClient::new(server.url.clone());
    let mut staff = Phone::new(client.clone(), 7001, Some("pl"));
    staff.say("/start").await;
    let mut anna = Phone::new(client.clone(), 11, Some("pl"));
    anna.say("/start").await;
    client
        .add_fault(Fault::too_many_requests("sendMessage", 1).for_chat(11))
        .await
        .expect("429 armed");
    anna.ask("kiedy jest otwarty MOPR?").await;
    book(&mut anna).await;
    assert_has(&staff.next_message().await.text, &["🆕 Nowa wizyta"]);

    // Counted once each update's handling ends, a moment after its reply: asked until it holds.
    let deadline = Instant::now() + PATIENCE;
    let samples = loop {
        let (status, text) = get(addr, "/metrics").await.expect("/metrics answers");
        assert_eq!(status, 200);
        let samples = parse_metrics(&text);
        let messages = sample(
            &samples,
            "okienko_updates_total",
            &[("kind", "message"), ("outcome", "handled")],
        );
        let mut states = Vec::new();
        for state in ["pending", "sent", "failed", "dropped", "withdrawn"] {
            let in_db = count(
                &pool,
                &format!("select count(*) from outbox_job where status = '{state}'"),
            )
            .await as f64;
            states
                .push(sample(&samples, "okienko_outbox_jobs", &[("state", state)]) == Some(in_db));
        }
        let presses = sample(
            &samples,
            "okienko_updates_total",
            &[("kind", "callback_query"), ("outcome", "handled")],
        );
        if messages == Some(6.0) && presses == Some(4.0) && states.iter().all(|s| *s) {
            break samples;
        }
        assert!(
            Instant::now() < deadline,
            "the counts never settled:\n{text}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    // Six messages (two /start, the question, the wish to book, the name, the phone) and four
    // presses (the day, the time, the consent, the confirmation), all handled.
    let updates = |kind, outcome| {
        sample(
            &samples,
            "okienko_updates_total",
            &[("kind", kind), ("outcome", outcome)],
        )
    };
    assert_eq!(updates("message", "handled"), Some(6.0));
    assert_eq!(updates("callback_query", "handled"), Some(4.0));
    assert_eq!(updates("message", "failed"), None);
    let histogram = |suffix: &str, extra: &[(&str, &str)]| {
        let mut labels = vec![("kind", "message")];
        labels.extend_from_slice(extra);
        sample(
            &samples,
            &format!("okienko_update_duration_seconds{suffix}"),
            &labels,
        )
    };
    assert_eq!(histogram("_count", &[]), Some(6.0));
    assert_eq!(histogram("_bucket", &[("le", "+Inf")]), Some(6.0));
    // The question's reply waited out a second of flood control: not in the fastest bucket.
    assert!(histogram("_bucket", &[("le", "0.5")]).expect("a bucket") <= 5.0);
    assert!(histogram("_sum", &[]).expect("a sum") >= 1.0);

    let bookings = |event| {
        sample(
            &samples,
            "okienko_bookings_total",
            &[("event", event), ("service", "legal-aid")],
        )
    };
    assert_eq!(bookings("made"), Some(1.0));
    assert_eq!(bookings("moved"), None);
    assert_eq!(bookings("cancelled"), None);
    assert_eq!(
        sample(
            &samples,
            "okienko_telegram_errors_total",
            &[("code", "429")]
        ),
        Some(1.0)
    );

    // The booking's reminders wait for their day; the staff notice went out.
    let pending = sample(&samples, "okienko_outbox_jobs", &[("state", "pending")]);
    assert!(pending.expect("pending") >= 1.0);
    assert!(sample(&samples, "okienko_outbox_jobs", &[("state", "sent")]).expect("sent") >= 1.0);
    // Nothing due waits (the reminders are due later).
    assert_eq!(
        sample(&samples, "okienko_outbox_oldest_due_seconds", &[]),
        Some(0.0)
    );
    let in_use = sample(&samples, "okienko_db_connections", &[("state", "in_use")]);
    let idle = sample(&samples, "okienko_db_connections", &[("state", "idle")]);
    let (in_use, idle) = (in_use.expect("in use"), idle.expect("idle"));
    assert!(in_use >= 0.0 && idle >= 0.0 && in_use + idle >= 1.0 && in_use + idle <= 10.0);
}

/// The chat's newest bot message with the button `label`: its id and callback data.
async fn button(client: &EmulatorClient, chat: i64, label: &str) -> (i64, String) {
    let messages = client.chat(chat).await.expect("the chat");
    messages
        .iter()
        .rev()
        .filter(|m| m.from_bot)
        .find_map(|m| {
            m.inline_keyboard
                .iter()
                .flatten()
                .find(|b| b.text == label)
                .and_then(|b| Some((m.message_id, b.callback_data.clone()?)))
        })
        .unwrap_or_else(|| panic!("no button {label:?}"))
}

/// SIGTERM while the bot is answering five people (each reply held two seconds by Telegram's
/// flood control), confirming a sixth person's booking and delivering staff notices: every update
/// already taken is answered, the booking is made and said, the deliveries under way are sent and
/// recorded once, nothing is claimed after the signal, the process exits 0 within
/// `OKIENKO_SHUTDOWN_SECONDS`, and no outbox job is left under its lease.
#[sqlx::test]
async fn sigterm_during_load_answers_what_was_taken_and_exits_0_in_time(pool: PgPool) {
    let server = emulator().await;
    let addr = free_addr();
    // The bot's clock starts at NOV_9 about now (a little later: after it connects).
    let spawned = Instant::now();
    let mut bot = run(
        &server,
        &pool,
        addr,
        &[
            ("OKIENKO_NOW", NOV_9),
            ("OKIENKO_STAFF_CHATS", "7001"),
            ("OKIENKO_SHUTDOWN_SECONDS", "8"),
        ],
    );
    let client = EmulatorClient::new(server.url.clone());
    let mut staff = Phone::new(client.clone(), 7001, Some("pl"));
    staff.say("/start").await;
    let mut people = Vec::new();
    for id in 21..=25 {
        let mut phone = Phone::new(client.clone(), id, Some("pl"));
        phone.say("/start").await;
        people.push(phone);
    }
    let mut anna = Phone::new(client.clone(), 30, Some("pl"));
    anna.say("/start").await;
    anna.say("chcę się umówić do prawnika").await;
    anna.press("pon 16.11").await;
    anna.press("13:00").await;
    anna.say("Anna Kowalska").await;
    assert_eq!(anna.ask("600100200").await, "Dziękuję.");
    anna.next_message().await;

    for id in (21..=25).chain([30]) {
        client
            .add_fault(Fault::too_many_requests("sendMessage", 2).for_chat(id))
            .await
            .expect("429 armed");
    }
    for phone in &people {
        client
            .send_text(&phone.user, "gdzie jest MOPR?")
            .await
            .expect("sent");
    }
    let (message, data) = button(&client, 30, "✅ Potwierdzam").await;
    anna.press_data(message, &data).await;
    // Four staff notices due at once into one chat: Telegram takes one a second there, so the
    // outbox has deliveries under way when the signal comes. Three more fall due on the bot's
    // clock a little after the signal, while the stop still waits for the replies: not claimed.
    let bot_now = chrono::DateTime::parse_from_rfc3339(NOV_9).expect("an instant")
        + chrono::Duration::from_std(spawned.elapsed()).expect("a duration");
    sqlx::query(
        "insert into outbox_job (kind, chat_id, text, due_at, created_at)
         select 'staff', 7001, 'notice ' || n, $1, $1 from generate_series(1, 4) n
         union all
         select 'staff', 7001, 'later ' || n, $2, $1 from generate_series(1, 3) n",
    )
    .bind(bot_now)
    .bind(bot_now + chrono::Duration::milliseconds(1500))
    .execute(&pool)
    .await
    .expect("notices queued");
    sqlx::query("select pg_notify('outbox', '')")
        .execute(&pool)
        .await
        .expect("the outbox woken");
    // Taken by the bot's long poll at once; their replies now wait out the flood control.
    tokio::time::sleep(Duration::from_millis(700)).await;

    let asked = Instant::now();
    bot.signal("TERM");
    let status = bot
        .exited_within(Duration::from_secs(12))
        .await
        .expect("the bot exits within OKIENKO_SHUTDOWN_SECONDS");
    let took = asked.elapsed();
    assert_eq!(status.code(), Some(0), "{status:?}");
    assert!(took < Duration::from_secs(9), "{took:?}");
    // Not cut at once: the replies waited out their two seconds first.
    assert!(took >= Duration::from_millis(1000), "{took:?}");

    for phone in &mut people {
        let reply = phone.next_message_within(Duration::from_secs(2)).await;
        assert!(!reply.text.is_empty());
    }
    assert_has(
        &anna.next_message_within(Duration::from_secs(2)).await.text,
        &["✅ Umówione"],
    );
    assert_eq!(
        count(
            &pool,
            "select count(*) from booking where telegram_id = 30 and status = 'active'"
        )
        .await,
        1
    );
    assert_eq!(
        count(
            &pool,
            "select count(*) from outbox_job where status = 'pending' and lease_until is not null"
        )
        .await,
        0,
        "a job left under the stopped bot's lease"
    );
    // Each notice that reached the staff chat is recorded as sent, and none was sent twice; some
    // went out (the deliveries under way were finished), some wait for the next process.
    let staff_chat = client.chat(7001).await.expect("the staff chat");
    let delivered: Vec<&str> = staff_chat
        .iter()
        .filter(|m| m.from_bot && m.text.starts_with("notice "))
        .map(|m| m.text.as_str())
        .collect();
    let sent = count(
        &pool,
        "select count(*) from outbox_job where text like 'notice %' and status = 'sent'",
    )
    .await;
    assert_eq!(delivered.len() as i64, sent, "{delivered:?}");
    let distinct: std::collections::BTreeSet<_> = delivered.iter().collect();
    assert_eq!(distinct.len(), delivered.len(), "{delivered:?}");
    assert!(sent >= 1, "no delivery under way was finished");
    assert_eq!(
        count(
            &pool,
            "select count(*) from outbox_job
             where text like 'later %' and status = 'pending' and attempts = 0"
        )
        .await,
        3,
        "a job falling due during the stop was claimed"
    );
    assert!(staff_chat.iter().all(|m| !m.text.starts_with("later ")));
}

/// SIGINT (Ctrl-C in a terminal) stops an idle bot at once, with 0.
#[sqlx::test]
async fn sigint_stops_an_idle_bot_with_0(pool: PgPool) {
    let server = emulator().await;
    let addr = free_addr();
    let mut bot = run(&server, &pool, addr, &[]);
    until_status(addr, "/readyz", 200, PATIENCE).await;
    bot.signal("INT");
    let status = bot
        .exited_within(Duration::from_secs(5))
        .await
        .expect("the bot exits");
    assert_eq!(status.code(), Some(0), "{status:?}");
    assert!(
        get(addr, "/healthz").await.is_none(),
        "nothing serves after the stop"
    );
}

/// Runs the program to its end; (exit code, standard error).
async fn finish(mut command: Command) -> (Option<i32>, String) {
    command.stdout(Stdio::null()).stderr(Stdio::piped());
    let output = tokio::task::spawn_blocking(move || command.output())
        .await
        .expect("joined")
        .expect("the program runs");
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn okienko_run(env: &[(&str, &str)]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_okienko"));
    command
        .arg("run")
        .current_dir(std::env::temp_dir())
        .env_remove("RUST_LOG")
        .env_remove("OKIENKO_LISTEN")
        .env_remove("OKIENKO_SHUTDOWN_SECONDS")
        .env("TELOXIDE_TOKEN", TOKEN)
        .env("DATABASE_URL", "postgres://postgres@127.0.0.1:1/okienko")
        .env("OKIENKO_LOG", "warn")
        .envs(env.iter().copied());
    command
}

/// A malformed `OKIENKO_LISTEN` or `OKIENKO_SHUTDOWN_SECONDS` stops the program with one line
/// that names it (and not the value); a taken address is named with its variable.
#[tokio::test]
async fn malformed_listen_and_shutdown_settings_are_named_in_one_line() {
    for (name, value) in [
        ("OKIENKO_LISTEN", "port8080"),
        ("OKIENKO_LISTEN", "12345"),
        ("OKIENKO_SHUTDOWN_SECONDS", "-5"),
        ("OKIENKO_SHUTDOWN_SECONDS", "zaraz"),
    ] {
        let (code, stderr) = finish(okienko_run(&[(name, value)])).await;
        assert_eq!(code, Some(1), "{name}={value}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(
            stderr.starts_with(&format!("okienko: {name} is malformed: ")),
            "{stderr}"
        );
        assert!(!stderr.contains(value), "{stderr}");
    }
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("a port");
    let addr = taken.local_addr().expect("its address").to_string();
    let (code, stderr) = finish(okienko_run(&[("OKIENKO_LISTEN", &addr)])).await;
    assert_eq!(code, Some(1), "{stderr}");
    let last = stderr.lines().last().unwrap_or_default();
    assert!(
        last.starts_with(&format!("okienko: cannot listen on OKIENKO_LISTEN={addr}")),
        "{stderr}"
    );
}
