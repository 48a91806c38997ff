//! What an update costs the database, counted by PostgreSQL itself: a question typed by someone
//! with nothing in progress writes nothing and reads once; a booking writes what a booking needs
//! and nothing more (each write named, so that a new one is noticed).
//!
//! PostgreSQL delivers a connection's statistics late (up to ten seconds after its last
//! statement); a connection that ends delivers them at once. So each count first ends the bot's
//! connections (its pool opens new ones when it next needs them) and then reads
//! `pg_stat_database` (transactions, each statement of the bot is one) and `pg_stat_user_tables`
//! (rows inserted, updated and deleted per table).

mod common;

use std::{collections::BTreeMap, time::Duration};

use common::{assert_has, database_url, server_url, TestBot};
use sqlx::{Connection, PgConnection, PgPool};

/// Monday 9 November 2026, 9:00.
const NOV_9: &str = "2026-11-09T09:00:00+01:00";

/// Rows inserted, updated, deleted.
type Writes = (i64, i64, i64);

#[derive(Debug)]
struct Counts {
    commits: i64,
    tables: BTreeMap<String, Writes>,
}

impl Counts {
    /// What happened between `self` and `later`: commits, and the tables written with their rows.
    fn until(&self, later: &Counts) -> (i64, BTreeMap<String, Writes>) {
        let mut written = BTreeMap::new();
        for (table, after) in &later.tables {
            let before = self.tables.get(table).copied().unwrap_or_default();
            let delta = (after.0 - before.0, after.1 - before.1, after.2 - before.2);
            if delta != (0, 0, 0) {
                written.insert(table.clone(), delta);
            }
        }
        (later.commits - self.commits, written)
    }
}

/// Whose statistics a count waits for.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Wait {
    /// The bot's connections are ended, so that all they did is counted (the pool opens new ones
    /// when it next needs them: each new connection costs commits of its own, so this ends a
    /// window and never starts one).
    ForAll,
    /// The bot's connections are idle and have delivered their statistics already.
    Delivered,
}

/// The counts now. The connection that reads the table counts is ended too, so it costs the
/// same commits in every window (found by [`overhead`]).
async fn counts(pool: &PgPool, wait: Wait) -> Counts {
    let name = pool
        .connect_options()
        .get_database()
        .unwrap_or_default()
        .to_owned();
    // Connections are ended from another database, so that ending them costs this one nothing.
    let mut admin = PgConnection::connect(&server_url(pool, "postgres", "postgres"))
        .await
        .expect("an admin connection");
    if wait == Wait::ForAll {
        end_connections(&mut admin, &name, None).await;
    }
    let mut reader = PgConnection::connect(&database_url(pool))
        .await
        .expect("a connection");
    let reader_pid: i32 = sqlx::query_scalar("select pg_backend_pid()")
        .fetch_one(&mut reader)
        .await
        .expect("its pid");
    let rows: Vec<(String, i64, i64, i64)> = sqlx::query_as(
        "select relname::text, n_tup_ins, n_tup_upd, n_tup_del from pg_stat_user_tables
         where relname not like '\\_sqlx%'",
    )
    .fetch_all(&mut reader)
    .await
    .expect("table counts");
    end_connections(&mut admin, &name, Some(reader_pid)).await;
    drop(reader);
    let commits: i64 =
        sqlx::query_scalar("select xact_commit from pg_stat_database where datname = $1")
            .bind(&name)
            .fetch_one(&mut admin)
            .await
            .expect("commits");
    Counts {
        commits,
        tables: rows
            .into_iter()
            .map(|(table, ins, upd, del)| (table, (ins, upd, del)))
            .collect(),
    }
}

/// Ends the connection `only`, or every connection to the database `name` (the outbox's LISTEN
/// connection and the polling lock's aside: they run no statement between notifications and
/// pings, and ending the lock's would cost a new one's statements in the next window), and waits
/// until they have delivered their statistics.
async fn end_connections(admin: &mut PgConnection, name: &str, only: Option<i32>) {
    let ended: Vec<i32> = sqlx::query_scalar(
        "select pid from pg_stat_activity
         where datname = $1 and pid <> pg_backend_pid() and query not ilike 'listen%'
           and application_name <> $3 and ($2::int is null or pid = $2)",
    )
    .bind(name)
    .bind(only)
    .bind(okienko::bot::leader::LOCK_APPLICATION_NAME)
    .fetch_all(&mut *admin)
    .await
    .expect("the connections");
    sqlx::query("select pg_terminate_backend(pid) from unnest($1::int[]) pid")
        .bind(&ended)
        .execute(&mut *admin)
        .await
        .expect("ended");
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let left: i64 =
            sqlx::query_scalar("select count(*) from pg_stat_activity where pid = any($1)")
                .bind(&ended)
                .fetch_one(&mut *admin)
                .await
                .expect("still there");
        if left == 0 {
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "connections linger");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // A backend leaves pg_stat_activity a moment before its last statistics are in.
    tokio::time::sleep(Duration::from_millis(50)).await;
}

/// The bot with nothing else going on: the waiting list looked at hourly, not every 300 ms.
async fn quiet_bot(pool: &PgPool) -> TestBot {
    TestBot::start_with(pool.clone(), |config| {
        common::at(config, NOV_9);
        config.waitlist_every = Duration::from_secs(3600);
    })
    .await
}

/// Lets the bot's idle connections deliver their statistics (PostgreSQL does within ten seconds),
/// then counts twice with nothing happening: the commits of counting itself, and the counts.
/// On a busy machine a statistics report (or the last `last_seen` batch) can still arrive
/// between the two counts: then it waits and counts again, three times at most.
async fn settled(pool: &PgPool) -> (i64, Counts) {
    tokio::time::sleep(Duration::from_secs(12)).await;
    let mut tries = 0;
    loop {
        let first = counts(pool, Wait::Delivered).await;
        let second = counts(pool, Wait::Delivered).await;
        let (overhead, written) = first.until(&second);
        tries += 1;
        if written.is_empty() {
            return (overhead, second);
        }
        assert!(
            tries < 3,
            "nothing is written while nothing happens: {written:?}"
        );
        tokio::time::sleep(Duration::from_secs(6)).await;
    }
}

#[sqlx::test]
async fn a_question_with_nothing_in_progress_writes_nothing_and_reads_once(pool: PgPool) {
    let bot = quiet_bot(&pool).await;
    let mut anna = bot.phone(31, Some("pl"));
    anna.say("/start").await;
    const QUESTIONS: i64 = 10;
    // Other processes (autovacuum) add commits to the database's count now and then, never take
    // any away: the least of up to three windows is the bot's own.
    let mut least = i64::MAX;
    for _ in 0..3 {
        // As many questions as the pool has connections: each has then run each statement once
        // (a statement's first run on a connection costs a commit more, to prepare it).
        for _ in 0..12 {
            anna.ask("godziny otwarcia CPS").await;
        }
        let (overhead, start) = settled(&pool).await;
        for _ in 0..QUESTIONS {
            let answer = anna.ask("godziny otwarcia CPS").await;
            assert_has(&answer, &["Centrum Pracy Socjalnej"]);
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
        let (commits, written) = start.until(&counts(&pool, Wait::ForAll).await);
        let commits = commits - overhead;
        // `last_seen` is written for many questions at once, every few seconds: at most twice
        // in this window, one row each time.
        let mut allowed = BTreeMap::new();
        if let Some(seen) = written.get("telegram_user") {
            assert!(
                seen.0 == 0 && seen.1 <= 2 && seen.2 == 0,
                "{written:?}, {commits} statements for {QUESTIONS} questions"
            );
            allowed.insert("telegram_user".to_owned(), *seen);
        }
        assert_eq!(written, allowed, "a question writes nothing");
        least = least.min(commits);
        eprintln!("window: {commits} statements for {QUESTIONS} questions, {written:?}");
        // Besides: the batches of `last_seen`, at most two around this window (one may have
        // been written before it and counted in it), each two commits where it is prepared first.
        if least <= QUESTIONS + 4 {
            break;
        }
    }
    assert!(
        least <= QUESTIONS + 4,
        "{least} statements for {QUESTIONS} questions: more than one each"
    );
}

#[sqlx::test]
async fn a_booking_writes_what_a_booking_needs(pool: PgPool) {
    let bot = quiet_bot(&pool).await;
    let mut staff = bot.staff().await;
    let mut anna = bot.phone(32, Some("pl"));
    anna.say("/start").await;
    let start = counts(&pool, Wait::ForAll).await;

    anna.say("chcę się umówić do prawnika").await;
    anna.press("pon 16.11").await;
    anna.press("13:00").await;
    anna.say("Anna Kowalska").await;
    bot.client
        .send_contact(&anna.user, "+48600100200")
        .await
        .expect("contact shared");
    anna.next_message().await;
    let summary = anna.next_message().await;
    assert_has(&summary.text, &["Anna Kowalska"]);
    let confirmed = anna.press("✅ Potwierdzam").await;
    assert_has(&confirmed.text, &["✅ Umówione"]);
    anna.next_message().await;
    staff.next_message().await;
    tokio::time::sleep(Duration::from_millis(300)).await;

    let (_, mut written) = start.until(&counts(&pool, Wait::ForAll).await);
    // The consent (one row updated), and a batch of `last_seen` when one fell in the window.
    let person = written.remove("telegram_user");
    assert!(
        matches!(person, Some((0, 1..=2, 0))),
        "telegram_user: {person:?}"
    );
    let expected: BTreeMap<String, Writes> = [
        // The visit.
        ("booking", (1, 0, 0)),
        // Each step once, as it changes: the days, the times, the name, the consent, the phone,
        // the summary, and done (the first step inserts the row: /start wrote none).
        ("dialogue", (1, 6, 0)),
        // Two reminders and the staff notice; the notice claimed and marked sent.
        ("outbox_job", (3, 2, 0)),
    ]
    .into_iter()
    .map(|(table, writes)| (table.to_owned(), writes))
    .collect();
    assert_eq!(
        written, expected,
        "a new write in a booking is noticed here"
    );
}
