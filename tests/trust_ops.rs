//! Issue 11 ("Trust"), operations: the outbox under load (each message once however long it
//! waits in Telegram's limits; a worker that sleeps while jobs are in flight), the database
//! timeouts on the bot's connections, a shared contact that must be the sender's own, and names
//! without invisible characters.

mod common;

use std::time::{Duration, Instant};

use common::{assert_has, count, TestBot, PATIENCE, STAFF_CHAT};
use okienko::{
    db::outbox::{self, NewJob},
    emulator::{ContactOwner, Fault},
};
use sqlx::PgPool;

/// Monday 9 November 2026, 9:00: legal aid on Monday 16 November is bookable.
const NOV_9: &str = "2026-11-09T09:00:00+01:00";

/// Staff notices written while the bot was down (or all at once), as the booking flow writes them.
async fn staff_notices(pool: &PgPool, texts: &[String]) {
    let mut tx = pool.begin().await.expect("tx");
    let jobs: Vec<NewJob> = texts
        .iter()
        .flat_map(|text| NewJob::to_staff_chats(&[STAFF_CHAT], text))
        .collect();
    outbox::enqueue(
        &mut tx,
        &jobs,
        chrono::Utc::now() - chrono::Duration::hours(1),
    )
    .await
    .expect("jobs written");
    tx.commit().await.expect("committed");
}

async fn wait_for(what: &str, timeout: Duration, mut done: impl AsyncFnMut() -> bool) {
    let deadline = Instant::now() + timeout;
    while !done().await {
        assert!(Instant::now() < deadline, "{what} did not happen in time");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Many notices for ONE chat after an outage, with a one-second lease: Telegram's limits let one
/// message a second into a chat, so most of them wait in the limiter far longer than the lease.
/// Each arrives exactly once, and each job is claimed once.
#[sqlx::test]
async fn many_notices_for_one_chat_are_each_sent_once_under_a_short_lease(pool: PgPool) {
    let bot = TestBot::start_with(pool.clone(), |config| {
        config.outbox_lease = Duration::from_secs(1);
    })
    .await;
    let mut staff = bot.staff().await;
    let texts: Vec<String> = (1..=8).map(|n| format!("Notice {n}")).collect();
    staff_notices(&pool, &texts).await;
    let mut seen = Vec::new();
    for _ in &texts {
        seen.push(
            staff
                .next_message_within(Duration::from_secs(40))
                .await
                .text,
        );
    }
    // Whatever was claimed twice would arrive within the next lease or two.
    staff.expect_silence(Duration::from_secs(3)).await;
    let mut sorted = seen.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), texts.len(), "each notice once: {seen:?}");
    assert_eq!(
        count(
            &pool,
            "select count(*) from outbox_job where status = 'sent' and attempts = 1"
        )
        .await,
        8,
        "each job claimed once"
    );
}

/// A backlog for one chat (a hundred notices after an outage: Telegram lets in one a second and
/// twenty a minute) does not hold up a message to anyone else, due after all of them.
#[sqlx::test]
async fn one_chats_backlog_does_not_hold_up_another_chat(pool: PgPool) {
    let bot = TestBot::start(pool.clone()).await;
    let _staff = bot.staff().await;
    let mut anna = bot.phone(11, Some("pl"));
    anna.say("/start").await;
    let texts: Vec<String> = (1..=100).map(|n| format!("Notice {n}")).collect();
    staff_notices(&pool, &texts).await;
    let mut tx = pool.begin().await.expect("tx");
    let later = chrono::Utc::now() - chrono::Duration::minutes(30);
    let job = NewJob::Staff {
        chat_id: 11,
        text: "For Anna".into(),
    };
    outbox::enqueue(&mut tx, &[job], later)
        .await
        .expect("written");
    tx.commit().await.expect("committed");
    let started = Instant::now();
    assert_eq!(
        anna.next_message_within(Duration::from_secs(8)).await.text,
        "For Anna"
    );
    println!("Anna's message after {:?}", started.elapsed());
}

/// Transactions committed in the test's database so far (as the statistics collector has them).
async fn commits(pool: &PgPool) -> i64 {
    count(
        pool,
        "select xact_commit from pg_stat_database where datname = current_database()",
    )
    .await
}

/// A job in flight (Telegram does not answer) must not keep the worker asking the database: it
/// sleeps until the next job is due. Measured in the database's committed transactions over a
/// quiet period (the old worker asked twenty times a second).
#[sqlx::test]
async fn the_worker_sleeps_while_a_job_is_in_flight(pool: PgPool) {
    let bot = TestBot::start_with(pool.clone(), |config| {
        config.waitlist_every = Duration::from_secs(3600);
    })
    .await;
    let _staff = bot.staff().await;
    bot.client
        .add_fault(Fault::hang("sendMessage").for_chat(STAFF_CHAT))
        .await
        .expect("fault armed");
    staff_notices(&pool, &["In flight".to_owned()]).await;
    wait_for("the claim", PATIENCE, async || {
        count(
            &pool,
            "select count(*) from outbox_job where leased_attempt = 1 and status = 'pending'",
        )
        .await
            == 1
    })
    .await;
    // The statistics of busy connections reach the view within a second or so.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let before = commits(&pool).await;
    tokio::time::sleep(Duration::from_secs(4)).await;
    let during = commits(&pool).await - before;
    assert!(
        during < 30,
        "{during} transactions in 4 s while one job was in flight"
    );
}

/// `next_due` says when a job can next be claimed: not the past due time of a job under a live
/// lease (that made the worker spin), but when that lease ends.
#[sqlx::test]
async fn next_due_waits_for_a_leased_job_to_be_free(pool: PgPool) {
    let now = chrono::Utc::now();
    staff_notices(&pool, &["Leased".to_owned()]).await;
    let claimed = outbox::claim(&pool, now, 10, chrono::Duration::seconds(60), &[])
        .await
        .expect("claimed");
    assert_eq!(claimed.len(), 1);
    let due = outbox::next_due(&pool, &[])
        .await
        .expect("read")
        .expect("a pending job");
    assert!(
        due >= now + chrono::Duration::seconds(59),
        "next due {due} while the lease runs to {}",
        now + chrono::Duration::seconds(60)
    );
    staff_notices(&pool, &["Free".to_owned()]).await;
    let due = outbox::next_due(&pool, &[])
        .await
        .expect("read")
        .expect("due");
    assert!(due <= now, "a free job is due at once: {due}");
}

/// The bot's connections refuse a statement that runs too long and a lock that waits too long.
#[sqlx::test]
async fn the_bots_connections_have_a_statement_and_a_lock_timeout(pool: PgPool) {
    let bot = TestBot::start(pool.clone()).await;
    let own = &bot.services.pool;
    let statement: String = sqlx::query_scalar("show statement_timeout")
        .fetch_one(own)
        .await
        .expect("shown");
    let lock: String = sqlx::query_scalar("show lock_timeout")
        .fetch_one(own)
        .await
        .expect("shown");
    assert_eq!((statement.as_str(), lock.as_str()), ("10s", "5s"));
    // A lock held elsewhere: the bot's wait ends in an error, not never.
    let mut holder = pool.begin().await.expect("tx");
    sqlx::query("select pg_advisory_xact_lock(4242)")
        .execute(&mut *holder)
        .await
        .expect("held");
    let started = Instant::now();
    let waited = sqlx::query("select pg_advisory_xact_lock(4242)")
        .execute(own)
        .await;
    assert!(waited.is_err(), "the lock wait ended in an error");
    assert!(started.elapsed() < Duration::from_secs(8));
    holder.rollback().await.expect("released");
}

/// Up to the phone step of a legal-aid booking as `name`.
async fn to_the_phone_step(phone: &mut common::Phone, name: &str) -> String {
    phone.say("chcę się umówić do prawnika").await;
    phone.press("pon 16.11").await;
    phone.press("13:00").await;
    phone.ask(name).await
}

/// A shared contact is taken only when it is the sender's own number; someone else's card, or a
/// card of no Telegram user, is refused kindly and the number asked again; typing still works.
#[sqlx::test]
async fn a_shared_contact_must_be_the_senders_own(pool: PgPool) {
    let bot = TestBot::start_at(pool.clone(), NOV_9).await;
    let mut anna = bot.phone(11, Some("pl"));
    anna.say("/start").await;
    to_the_phone_step(&mut anna, "Anna Kowalska").await;
    let not_own = "To numer innej osoby. Podaj swój numer: naciśnij „Udostępnij numer” albo wpisz go, np. 600 100 200.";
    for owner in [ContactOwner::User(12), ContactOwner::Nobody] {
        bot.client
            .send_contact_of(&anna.user, "+48600999888", owner)
            .await
            .expect("contact shared");
        assert_eq!(anna.next_message().await.text, not_own, "{owner:?}");
    }
    // Typed by hand: taken.
    assert_eq!(anna.ask("600 100 200").await, "Dziękuję.");
    assert_has(&anna.next_message().await.text, &["+48 600 100 200"]);

    // The sender's own card is taken.
    let mut jan = bot.phone(13, Some("pl"));
    jan.say("/start").await;
    to_the_phone_step(&mut jan, "Jan Nowak").await;
    bot.client
        .send_contact(&jan.user, "+48600777666")
        .await
        .expect("contact shared");
    assert_eq!(jan.next_message().await.text, "Dziękuję.");
    assert_has(&jan.next_message().await.text, &["+48 600 777 666"]);
    bot.assert_no_locale_problems();
}

/// Direction overrides and zero-width characters in a name are taken out before it is stored or
/// shown to the staff.
#[sqlx::test]
async fn a_name_is_stored_without_invisible_characters(pool: PgPool) {
    let bot = TestBot::start_at(pool.clone(), NOV_9).await;
    let mut staff = bot.staff().await;
    let mut anna = bot.phone(11, Some("pl"));
    anna.say("/start").await;
    to_the_phone_step(&mut anna, "\u{202E}Anna\u{200B} Kowal\u{2066}ska\u{FEFF}").await;
    anna.ask("600 100 200").await;
    let summary = anna.next_message().await.text;
    assert_has(&summary, &["Anna Kowalska"]);
    anna.press("✅ Potwierdzam").await;
    let name: String = sqlx::query_scalar("select name from booking")
        .fetch_one(&pool)
        .await
        .expect("booked");
    assert_eq!(name, "Anna Kowalska");
    assert_has(&staff.next_message().await.text, &["Anna Kowalska, tel."]);
}
