//! News through the emulator: residents subscribe from a card and leave with one tap; staff post
//! an announcement, which reaches each subscriber once, no faster than the configured pace, and
//! the staff member gets the count of delivered, blocked and failed.

mod common;

use std::collections::HashMap;

use common::{assert_has, count, labels, TestBot};
use okienko::{
    config::StaffId,
    emulator::{EventKind, Fault},
};
use sqlx::PgPool;

/// Monday 9 November 2026, 9:00.
const NOV_9: &str = "2026-11-09T09:00:00+01:00";
const STAFF: i64 = 7001;
/// Announcements a second in these tests.
const RATE: u32 = 50;
const JOIN: &str = "🔔 Chcę dostawać ich wiadomości";
const LEAVE: &str = "🔕 Nie chcę tych wiadomości";

async fn bot(pool: PgPool) -> TestBot {
    TestBot::start_with(pool, |config| {
        common::at(config, NOV_9);
        config.staff_ids = vec![StaffId {
            user: STAFF,
            centre: None,
        }];
        config.news_rate = RATE;
    })
    .await
}

#[sqlx::test]
async fn a_resident_subscribes_from_the_card_and_leaves_with_one_tap(pool: PgPool) {
    let bot = bot(pool.clone()).await;
    let mut ewa = bot.phone(21, Some("pl"));
    let card = ewa.say("klub seniora").await;
    assert!(labels(&card).contains(&JOIN.to_owned()), "{card:?}");
    let joined = ewa.press(JOIN).await;
    assert_has(&joined.text, &["🔔 Zapisano", "Klub Seniora Chorzów Stary"]);
    assert_has(&ewa.press(JOIN).await.text, &["Już dostajesz"]);
    // A card without news has no such button (the legal aid point).
    let legal = ewa.say("prawnik").await;
    assert!(!labels(&legal).contains(&JOIN.to_owned()), "{legal:?}");
    assert_eq!(count(&pool, "select count(*) from subscription").await, 1);

    let mut olena = bot.phone(22, Some("uk"));
    olena.say("cas").await;
    let joined = olena.press("🔔 Надсилати мені їхні новини").await;
    assert_has(
        &joined.text,
        &["🔔 Готово", "Centrum Aktywizacji Społecznej"],
    );

    let mut staff = bot.phone(STAFF, Some("pl"));
    staff
        .say("/announce senior-club Spotkanie wigilijne 18.12")
        .await;
    staff.press("📢 Tak, wyślij").await;
    let news = ewa.next_message().await;
    assert_has(
        &news.text,
        &[
            "📢 Klub Seniora Chorzów Stary:",
            "Spotkanie wigilijne 18.12",
        ],
    );
    // One tap under the announcement, and no more of them.
    assert_has(&ewa.press(LEAVE).await.text, &["🔕 Nie będziesz już"]);
    assert_eq!(count(&pool, "select count(*) from subscription").await, 1);
    staff.next_message().await; // the report
    staff.say("/announce senior-club Drugie ogłoszenie").await;
    assert_has(
        &staff.press("📢 Tak, wyślij").await.text,
        &["Nikt jeszcze nie subskrybuje"],
    );
    ewa.expect_silence(std::time::Duration::from_millis(500))
        .await;
    // Olena's topic is another one: nothing reached her.
    olena
        .expect_silence(std::time::Duration::from_millis(100))
        .await;
    bot.assert_no_locale_problems();
}

#[sqlx::test]
async fn an_announcement_to_200_subscribers_goes_out_once_each_at_the_set_pace(pool: PgPool) {
    let bot = bot(pool.clone()).await;
    // 200 residents subscribe to CAS's news from its card, twenty at a time.
    let mut phones = Vec::new();
    for group in (1000..1200).collect::<Vec<i64>>().chunks(20) {
        let mut tasks = tokio::task::JoinSet::new();
        for id in group {
            let mut phone = bot.phone(*id, Some("pl"));
            tasks.spawn(async move {
                phone.say("cas").await;
                let joined = phone.press(JOIN).await;
                assert!(joined.text.starts_with("🔔 Zapisano"), "{joined:?}");
                phone
            });
        }
        phones.extend(tasks.join_all().await);
    }
    assert_eq!(count(&pool, "select count(*) from subscription").await, 200);
    // One leaves again; one has blocked the bot (Telegram refuses the message to them).
    let leaver = phones
        .iter_mut()
        .find(|p| p.chat_id() == 1001)
        .expect("1001");
    leaver.press(LEAVE).await;
    bot.client
        .add_fault(Fault {
            chat_id: Some(1002),
            ..Fault::error("sendMessage", 403, "Forbidden: bot was blocked by the user")
        })
        .await
        .expect("fault");

    let mut staff = bot.phone(STAFF, Some("pl"));
    let ask = staff
        .say("/announce cas Od 1 grudnia kurs komputerowy dla seniorów.")
        .await;
    assert_has(&ask.text, &["(199 os.", "kurs komputerowy"]);
    assert_eq!(
        count(&pool, "select count(*) from outbox_job").await,
        0,
        "nothing is sent before the confirm"
    );
    let sending = staff.press("📢 Tak, wyślij").await;
    assert_has(&sending.text, &["Wysyłam do 199 os."]);
    let report = staff.next_message().await;
    assert_has(
        &report.text,
        &[
            "doręczone 198 z 199",
            "zablokowali bota 1",
            "nie udało się 0",
        ],
    );

    // Each subscriber got it once; the one who left and the one who blocked the bot, never.
    let events = bot
        .client
        .events_after(0, std::time::Duration::from_millis(100))
        .await
        .expect("events");
    let mut times: Vec<u64> = Vec::new();
    let mut per_chat: HashMap<i64, usize> = HashMap::new();
    for event in &events {
        if let EventKind::Sent { message } = &event.kind {
            if message.text.contains("kurs komputerowy") && event.chat_id != STAFF {
                times.push(event.at_ms);
                *per_chat.entry(event.chat_id).or_default() += 1;
            }
        }
    }
    assert_eq!(per_chat.len(), 198);
    assert!(per_chat.values().all(|n| *n == 1), "someone got it twice");
    assert!(!per_chat.contains_key(&1001) && !per_chat.contains_key(&1002));
    // Never more than RATE in any second.
    times.sort_unstable();
    for (i, start) in times.iter().enumerate() {
        let within = times[i..].iter().take_while(|t| **t < start + 1000).count();
        assert!(
            within <= RATE as usize,
            "{within} announcements within a second from {start} ms"
        );
    }
    let span = times.last().copied().unwrap_or(0) - times.first().copied().unwrap_or(0);
    assert!(
        span >= 1000 * (198 / u64::from(RATE) - 1),
        "198 at {RATE}/s took only {span} ms"
    );
    assert_eq!(
        count(
            &pool,
            "select count(*) from staff_audit where action = 'announce'"
        )
        .await,
        1
    );
}
