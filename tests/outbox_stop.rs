//! Issue 12, the outbox at a graceful stop, through the real `okienko run`: twenty messages due at
//! once into one chat (Telegram takes one a second there) are not all claimed by one process, so
//! a SIGTERM finishes the few under way quickly, and the rest are claimable at once by another
//! process instead of waiting out a lease.

mod common;

use std::{net::SocketAddr, time::Duration};

use common::{count, BotProcess, Phone, TOKEN};
use okienko::{
    db::outbox,
    emulator::{Emulator, EmulatorClient},
};
use sqlx::PgPool;

#[sqlx::test]
async fn twenty_due_for_one_chat_a_stop_leaves_the_unsent_claimable_at_once(pool: PgPool) {
    let server = Emulator::new(TOKEN)
        .serve(SocketAddr::from(([127, 0, 0, 1], 0)))
        .await
        .expect("emulator");
    let mut bot = BotProcess::run(
        &server,
        &pool,
        &[
            ("OKIENKO_STAFF_CHATS", "7001"),
            ("OKIENKO_SHUTDOWN_SECONDS", "5"),
        ],
    );
    let client = EmulatorClient::new(server.url.clone());
    let mut staff = Phone::new(client.clone(), 7001, Some("pl"));
    staff.say("/start").await;
    sqlx::query(
        "insert into outbox_job (kind, chat_id, text, due_at, created_at)
         select 'staff', 7001, 'notice ' || n, now(), now() from generate_series(1, 20) n",
    )
    .execute(&pool)
    .await
    .expect("notices queued");
    sqlx::query("select pg_notify('outbox', '')")
        .execute(&pool)
        .await
        .expect("the outbox woken");
    assert!(staff.next_message().await.text.starts_with("notice "));
    // At most three are in this process's hands: the rest stay in the table, unclaimed.
    assert!(
        count(
            &pool,
            "select count(*) from outbox_job where status = 'pending' and lease_until is not null"
        )
        .await
            <= outbox::PER_CHAT as i64
    );

    bot.signal("TERM");
    let status = bot
        .exited_within(Duration::from_secs(8))
        .await
        .expect("the bot exits within OKIENKO_SHUTDOWN_SECONDS");
    assert_eq!(status.code(), Some(0), "{status:?}");

    let chat = client.chat(7001).await.expect("the staff chat");
    let delivered: Vec<&str> = chat
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
    assert!(
        sent < 20,
        "all sent before the stop: the test proves nothing"
    );
    assert_eq!(
        count(
            &pool,
            "select count(*) from outbox_job where status = 'pending' and lease_until is not null"
        )
        .await,
        0,
        "a job left under the stopped process's lease"
    );
    assert_eq!(
        count(
            &pool,
            "select count(*) from outbox_job where status = 'pending' and attempts = 0"
        )
        .await,
        20 - sent,
        "an unsent job counted as an attempt"
    );
    // Another process claims the oldest unsent ones at once, as many as one chat may have.
    let claimed = outbox::claim(
        &pool,
        chrono::Utc::now(),
        20,
        chrono::Duration::seconds(60),
        &[],
    )
    .await
    .expect("claimed");
    let texts: Vec<String> = claimed.iter().filter_map(|j| j.text.clone()).collect();
    let oldest_unsent: Vec<String> = sqlx::query_scalar(
        "select text from outbox_job where status = 'pending' and text like 'notice %'
         order by due_at, id limit 3",
    )
    .fetch_all(&pool)
    .await
    .expect("read");
    assert_eq!(claimed.len(), outbox::PER_CHAT.min(20 - sent as usize));
    let mut sorted = texts.clone();
    sorted.sort();
    let mut expected = oldest_unsent.clone();
    expected.sort();
    assert_eq!(sorted, expected);
}
