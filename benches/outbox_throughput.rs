//! How fast the outbox delivers, and whether it keeps to Telegram's limits: N reminders due at once
//! to N different chats, through the emulator, on a fresh PostgreSQL database.
//!
//! `cargo bench --bench outbox_throughput` (DATABASE_URL names the server; default the local one).
//! Prints the count, the time from commit to the last delivery, and the rate.

use std::{net::SocketAddr, time::Duration};

use okienko::{
    app::Application,
    config::{BotToken, Config, Secret},
    emulator::{Emulator, EventKind, UserProfile},
};

const TOKEN: &str = "4242:bench-token-for-the-emulator-0000";
const CHATS: i64 = 150;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let server = std::env::var("DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
    let base = server
        .rsplit_once('/')
        .map(|(base, _)| base.to_owned())
        .unwrap_or(server);
    let name = format!("okienko_bench_{}", std::process::id());
    let url = format!("{base}/{name}");

    let handle = Emulator::new(TOKEN)
        .serve(SocketAddr::from(([127, 0, 0, 1], 0)))
        .await?;
    // The bot as `okienko run` assembles it, on a database of its own, against the emulator.
    let mut config = Config::defaults();
    config.database_url = Secret::new(url);
    config.token = Some(BotToken::parse(TOKEN)?);
    config.api_url = Some(handle.url.clone());
    config.listen = None;
    let app = Application::build(&config).await?;
    app.connect().await?;
    let running = app.start(false);
    let pool = running.services().pool.clone();

    // Every chat exists once its person has written.
    for id in 1..=CHATS {
        handle
            .emulator
            .send_text(&UserProfile::new(id, "Bench", Some("pl")), "/start")
            .await;
    }
    loop {
        let greeted = handle.emulator.events_after(0, Duration::ZERO).await;
        if greeted
            .iter()
            .filter(|e| matches!(e.kind, EventKind::Sent { .. }))
            .count()
            >= CHATS as usize
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    // One upcoming visit per chat, each with a reminder due now, committed at once.
    let mut tx = pool.begin().await?;
    sqlx::query(
        "insert into booking (service_key, slot_start, slot_end, seat, telegram_id, chat_id, name, phone, language, status, created_at)
         select 'legal-aid', now() + interval '30 minutes' * g + interval '1 day', now() + interval '30 minutes' * g + interval '1 day 30 minutes',
                1, g, g, 'Bench', '+48600100200', 'pl', 'active', now()
         from generate_series(1, $1) g",
    )
    .bind(CHATS)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "insert into outbox_job (kind, booking_id, chat_id, due_at, created_at)
         select 'reminder', id, chat_id, now(), now() from booking",
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query("select pg_notify('outbox', '')")
        .execute(&mut *tx)
        .await?;
    let before = handle.emulator.last_event_seq().await;
    tx.commit().await?;
    let started = std::time::Instant::now();
    loop {
        let sent: i64 = sqlx::query_scalar("select count(*) from outbox_job where status = 'sent'")
            .fetch_one(&pool)
            .await?;
        if sent >= CHATS {
            break;
        }
        anyhow::ensure!(
            started.elapsed() < Duration::from_secs(120),
            "only {sent} of {CHATS} sent in two minutes"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let elapsed = started.elapsed();
    let events = handle.emulator.events_after(before, Duration::ZERO).await;
    let times: Vec<u64> = events
        .iter()
        .filter(
            |e| matches!(&e.kind, EventKind::Sent { message } if message.text.starts_with("⏰")),
        )
        .map(|e| e.at_ms)
        .collect();
    // Telegram's limit is about any one second, not the average: the most sent within 1000 ms.
    let busiest = times
        .iter()
        .map(|start| {
            times
                .iter()
                .filter(|t| **t >= *start && **t < start + 1000)
                .count()
        })
        .max()
        .unwrap_or(0);
    println!(
        "outbox: {CHATS} reminders to {CHATS} chats delivered in {:.2} s ({:.1} messages/s on average); \
         at most {busiest} in any one second; {} seen by the emulator",
        elapsed.as_secs_f64(),
        CHATS as f64 / elapsed.as_secs_f64(),
        times.len()
    );

    running.stop().await;
    drop(handle);
    pool.close().await;
    let admin = sqlx::PgPool::connect(&format!("{base}/postgres")).await?;
    sqlx::query(&format!("drop database if exists {name} with (force)"))
        .execute(&admin)
        .await?;
    Ok(())
}
