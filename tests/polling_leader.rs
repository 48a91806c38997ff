//! Issue 12, several `okienko run` processes of one bot on one database in polling mode, through
//! the real program: only one polls (the emulator answers a second long poll with Telegram's 409,
//! and counts it), the other takes over within seconds when the poller is killed or stopped, and a
//! SIGTERM in the middle of many people asking and booking loses nothing and answers nothing twice.

mod common;

use std::{
    net::SocketAddr,
    path::PathBuf,
    sync::{
        atomic::{AtomicUsize, Ordering},
        Arc,
    },
    time::{Duration, Instant},
};

use common::{assert_has, count, BotProcess, Phone, PATIENCE, TOKEN};
use okienko::emulator::{Emulator, EmulatorClient, EmulatorHandle};
use sqlx::PgPool;

/// Monday 9 November 2026, 9:00: legal aid on Monday 16 November is bookable.
const NOV_9: &str = "2026-11-09T09:00:00+01:00";

/// Questions each answered with one message.
const QUESTIONS: [&str; 5] = [
    "gdzie jest MOPR?",
    "kiedy jest prawnik?",
    "czy CPS jest dziś otwarte",
    "senior club hours",
    "jakie dokumenty do prawnika",
];

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

/// `okienko run` on the test's database and emulator, serving `/metrics` on `addr`; its log (at
/// INFO) goes to the file returned, to be shown when the test fails.
fn run(server: &EmulatorHandle, pool: &PgPool, addr: SocketAddr) -> (BotProcess, PathBuf) {
    let listen = addr.to_string();
    let path = std::env::temp_dir().join(format!(
        "okienko-leader-{}-{}.log",
        std::process::id(),
        addr.port()
    ));
    let file = std::fs::File::create(&path).expect("log file");
    let bot = BotProcess::run_logging(
        server,
        pool,
        &[
            ("OKIENKO_LISTEN", listen.as_str()),
            ("OKIENKO_NOW", NOV_9),
            ("OKIENKO_SHUTDOWN_SECONDS", "10"),
            ("OKIENKO_LOG", "info"),
        ],
        file,
    );
    (bot, path)
}

/// The log at `path`, for a failure's message.
fn log(path: &PathBuf) -> String {
    std::fs::read_to_string(path).unwrap_or_default()
}

/// `okienko_polling_leader` on the bot's `/metrics`, or None when it does not answer (yet).
async fn leader_gauge(addr: SocketAddr) -> Option<f64> {
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(5))
        .build()
        .expect("http client");
    let text = client
        .get(format!("http://{addr}/metrics"))
        .send()
        .await
        .ok()?
        .text()
        .await
        .ok()?;
    text.lines()
        .find_map(|line| line.strip_prefix("okienko_polling_leader "))
        .and_then(|value| value.trim().parse().ok())
}

/// Waits until the bot at `addr` says it polls (`1`) or not (`0`); how long it took.
async fn until_leader(addr: SocketAddr, wanted: f64, patience: Duration) -> Duration {
    let started = Instant::now();
    loop {
        let gauge = leader_gauge(addr).await;
        if gauge == Some(wanted) {
            return started.elapsed();
        }
        assert!(
            started.elapsed() < patience,
            "okienko_polling_leader at {addr} was not {wanted} within {patience:?}: {gauge:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// One person asking every question in turn: each gets its one answer, nothing more comes.
async fn asks_everything(client: EmulatorClient, id: i64, answered: Arc<AtomicUsize>) {
    let mut phone = Phone::new(client.clone(), id, Some("pl"));
    phone.say("/start").await;
    answered.fetch_add(1, Ordering::SeqCst);
    for question in QUESTIONS {
        let reply = phone.say(question).await;
        assert!(
            !reply.text.is_empty(),
            "{id}: an empty answer to {question}"
        );
        answered.fetch_add(1, Ordering::SeqCst);
    }
    phone.expect_silence(Duration::from_millis(1500)).await;
    let chat = client.chat(id).await.expect("the chat");
    let from_bot = chat.iter().filter(|m| m.from_bot).count();
    assert_eq!(from_bot, 1 + QUESTIONS.len(), "{id}: answers {chat:#?}");
}

/// One person booking legal aid on Monday 16 November at `time`: the booking is made and said
/// once.
async fn books(client: EmulatorClient, id: i64, time: &'static str, answered: Arc<AtomicUsize>) {
    let mut phone = Phone::new(client.clone(), id, Some("pl"));
    phone.say("/start").await;
    phone.say("chcę się umówić do prawnika").await;
    answered.fetch_add(2, Ordering::SeqCst);
    phone.press("pon 16.11").await;
    phone.press(time).await;
    phone.say("Osoba Testowa").await;
    assert_eq!(phone.ask("600100200").await, "Dziękuję.");
    phone.next_message().await;
    answered.fetch_add(4, Ordering::SeqCst);
    assert_has(&phone.press("✅ Potwierdzam").await.text, &["✅ Umówione"]);
    phone.next_message().await; // the calendar file
    phone.expect_silence(Duration::from_millis(1500)).await;
    let chat = client.chat(id).await.expect("the chat");
    let booked = chat
        .iter()
        .filter(|m| m.from_bot && m.text.contains("✅ Umówione"))
        .count();
    assert_eq!(booked, 1, "{id}: {chat:#?}");
}

/// Two processes at once: one polls, the other waits (no 409 in all that time, one gauge at 1);
/// people are answered once. The poller killed with SIGKILL (its lock goes with its connection),
/// the other polls within a few seconds and answers.
#[sqlx::test]
async fn two_processes_poll_as_one_and_the_other_takes_over_after_a_kill(pool: PgPool) {
    let server = emulator().await;
    let client = EmulatorClient::new(server.url.clone());
    let (first_addr, second_addr) = (free_addr(), free_addr());
    let (mut first, _first_log) = run(&server, &pool, first_addr);
    until_leader(first_addr, 1.0, PATIENCE).await;
    let (mut second, _second_log) = run(&server, &pool, second_addr);
    until_leader(second_addr, 0.0, PATIENCE).await;

    let answered = Arc::new(AtomicUsize::new(0));
    let people: Vec<_> = (1..=6)
        .map(|id| tokio::spawn(asks_everything(client.clone(), id, answered.clone())))
        .collect();
    for person in people {
        person.await.expect("a person was answered once");
    }
    // Both have long polled and tried for the lock several times meanwhile.
    assert_eq!(leader_gauge(first_addr).await, Some(1.0));
    assert_eq!(leader_gauge(second_addr).await, Some(0.0));
    assert_eq!(client.conflicts().await.expect("conflicts"), 0);

    first.kill();
    let took = until_leader(second_addr, 1.0, Duration::from_secs(10)).await;
    println!("the second process polls {took:?} after the first was killed");
    assert!(took < Duration::from_secs(6), "{took:?}");
    let mut late = Phone::new(client.clone(), 50, Some("pl"));
    late.say("/start").await;
    assert!(!late.ask("gdzie jest MOPR?").await.is_empty());
    second.kill();
}

/// Many people asking and booking at once, SIGTERM to the poller in the middle: it exits 0
/// within `OKIENKO_SHUTDOWN_SECONDS`; the other process (already waiting, or started right then)
/// takes over; every person gets every answer exactly once, every booking is made once, every
/// update is acknowledged, and no two processes ever polled at once.
async fn sigterm_under_load_hands_over(pool: PgPool, follower_waits_already: bool) {
    let server = emulator().await;
    let client = EmulatorClient::new(server.url.clone());
    let (first_addr, second_addr) = (free_addr(), free_addr());
    let (mut first, first_log) = run(&server, &pool, first_addr);
    until_leader(first_addr, 1.0, PATIENCE).await;
    let mut second = None;
    if follower_waits_already {
        second = Some(run(&server, &pool, second_addr).0);
        until_leader(second_addr, 0.0, PATIENCE).await;
    }

    let answered = Arc::new(AtomicUsize::new(0));
    let mut people: Vec<_> = (1..=24)
        .map(|id| tokio::spawn(asks_everything(client.clone(), id, answered.clone())))
        .collect();
    for (id, time) in [
        (101, "13:00"),
        (102, "13:30"),
        (103, "14:00"),
        (104, "14:30"),
    ] {
        people.push(tokio::spawn(books(
            client.clone(),
            id,
            time,
            answered.clone(),
        )));
    }
    let total = 24 * (1 + QUESTIONS.len()) + 4 * 6;
    // In the middle: about a third answered.
    let deadline = Instant::now() + Duration::from_secs(60);
    while answered.load(Ordering::SeqCst) < total / 3 {
        assert!(Instant::now() < deadline, "the load did not get going");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let asked = Instant::now();
    first.signal("TERM");
    if !follower_waits_already {
        second = Some(run(&server, &pool, second_addr).0);
    }
    let status = first
        .exited_within(Duration::from_secs(12))
        .await
        .expect("the poller exits within OKIENKO_SHUTDOWN_SECONDS");
    assert_eq!(status.code(), Some(0), "{status:?}: {}", log(&first_log));
    let stopped = asked.elapsed();
    until_leader(second_addr, 1.0, Duration::from_secs(15)).await;
    let took_over = asked.elapsed();
    println!(
        "the poller stopped {stopped:?} after SIGTERM; the other polled {took_over:?} after it"
    );
    if follower_waits_already {
        assert!(took_over < Duration::from_secs(6), "{took_over:?}");
    }
    for person in people {
        person.await.expect("a person was answered, once each");
    }
    assert_eq!(answered.load(Ordering::SeqCst), total);
    assert_eq!(
        count(
            &pool,
            "select count(*) from booking where telegram_id between 101 and 104 and status = 'active'"
        )
        .await,
        4
    );
    assert_eq!(client.conflicts().await.expect("conflicts"), 0);
    // Every update given to the bot was acknowledged.
    let mut check = Phone::new(client.clone(), 60, Some("pl"));
    check.say("/start").await;
    let last = client
        .send_text(&check.user, "gdzie jest MOPR?")
        .await
        .expect("sent")
        .update_id;
    check.next_message().await;
    let deadline = Instant::now() + PATIENCE;
    while !server.emulator.confirmed(last).await {
        assert!(Instant::now() < deadline, "update {last} not acknowledged");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    drop(second);
    let _ = std::fs::remove_file(&first_log);
}

#[sqlx::test]
async fn sigterm_under_load_a_waiting_process_takes_over_and_nothing_is_lost_or_doubled(
    pool: PgPool,
) {
    sigterm_under_load_hands_over(pool, true).await;
}

#[sqlx::test]
async fn sigterm_under_load_a_process_started_then_takes_over_and_nothing_is_lost_or_doubled(
    pool: PgPool,
) {
    sigterm_under_load_hands_over(pool, false).await;
}
