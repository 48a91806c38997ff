//! Flood control and group chats: one person's flood (with Telegram answering their chat 429)
//! never delays another's answer and gets one "a moment, please"; the budget is set by
//! `OKIENKO_FLOOD_PER_MINUTE`; in a group, supergroup or channel the bot says once that it works
//! in private chats and nothing else, while the staff groups still get their notices.

mod common;

use std::{
    process::{Command, Stdio},
    time::{Duration, Instant},
};

use common::{assert_has, count, BotProcess, Phone, TestBot, PATIENCE, STAFF_CHAT};
use okienko::{
    emulator::{Emulator, EmulatorClient, Fault, GroupChat},
    i18n::Lang,
};
use sqlx::PgPool;

/// A Monday morning, with the CPS open.
const MONDAY: &str = "2026-11-09T10:00:00+01:00";

fn bot_budget() -> u32 {
    okienko::config::Config::defaults().flood_per_minute.get()
}

/// How many of the bot's messages in `chat_id` read `text`.
async fn sent_in(client: &EmulatorClient, chat_id: i64, text: &str) -> usize {
    client
        .chat(chat_id)
        .await
        .expect("the chat is readable")
        .iter()
        .filter(|m| m.from_bot && m.text == text)
        .count()
}

/// All the bot's messages in `chat_id`.
async fn bot_messages(client: &EmulatorClient, chat_id: i64) -> Vec<String> {
    client
        .chat(chat_id)
        .await
        .expect("the chat is readable")
        .into_iter()
        .filter(|m| m.from_bot)
        .map(|m| m.text)
        .collect()
}

#[sqlx::test]
async fn one_persons_flood_never_delays_anothers_answer(pool: PgPool) {
    let bot = TestBot::start_with(pool, |config| {
        common::at(config, MONDAY);
        config.flood_per_minute = okienko::config::Config::defaults().flood_per_minute;
    })
    .await;
    assert_eq!(bot_budget(), 20, "the default budget");
    let mut anna = bot.phone(501, Some("pl"));
    let mut piotr = bot.phone(502, Some("pl"));
    let expected = piotr.ask("godziny otwarcia CPS").await;
    assert_has(&expected, &["Centrum Pracy Socjalnej"]);
    anna.ask("dzień dobry").await;

    // Telegram answers Anna's chat "too many requests, retry after 30 s" for a while.
    bot.client
        .add_fault(
            Fault::too_many_requests("sendMessage", 30)
                .for_chat(anna.chat_id())
                .times(3),
        )
        .await
        .expect("fault armed");
    for i in 0..100 {
        bot.client
            .send_text(&anna.user, &format!("wiadomość {i}"))
            .await
            .expect("sent");
    }
    let asked = Instant::now();
    bot.client
        .send_text(&piotr.user, "godziny otwarcia CPS")
        .await
        .expect("sent");
    for i in 100..200 {
        bot.client
            .send_text(&anna.user, &format!("wiadomość {i}"))
            .await
            .expect("sent");
    }
    let answer = piotr.next_message_within(Duration::from_secs(5)).await;
    assert_eq!(answer.text, expected);
    assert!(
        asked.elapsed() < Duration::from_secs(5),
        "Piotr waited {:?}",
        asked.elapsed()
    );

    // Anna is told once to wait (the notice may itself wait out Telegram's 30 s), and the rest
    // of her flood is dropped: at most her budget of 20 updates was answered.
    let slow_down = bot.text(Lang::Pl, "flood-slow-down");
    let deadline = Instant::now() + Duration::from_secs(45);
    while sent_in(&bot.client, anna.chat_id(), &slow_down).await == 0 {
        assert!(
            Instant::now() < deadline,
            "Anna was never told to wait: {:?}",
            bot_messages(&bot.client, anna.chat_id()).await
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    let to_anna = bot_messages(&bot.client, anna.chat_id()).await;
    assert_eq!(sent_in(&bot.client, anna.chat_id(), &slow_down).await, 1);
    // Her greeting's answer, up to 20 of her flood answered (some refused by the fault, with an
    // apology each), and the one notice.
    assert!(to_anna.len() <= 1 + 2 * 20 + 1, "{}", to_anna.len());

    // Nothing crashed: Piotr is answered as before.
    assert_eq!(piotr.ask("godziny otwarcia CPS").await, expected);
    bot.assert_no_locale_problems();
}

#[sqlx::test]
async fn a_group_is_told_once_that_the_bot_works_in_private_and_nothing_else(pool: PgPool) {
    let staff_group = GroupChat::supergroup(-100_900, "Pracownicy CPS");
    let bot = TestBot::start_with(pool.clone(), |config| {
        common::at(config, MONDAY);
        config.staff_chats = vec![STAFF_CHAT, staff_group.id];
        config.flood_per_minute = okienko::config::Config::defaults().flood_per_minute;
    })
    .await;
    let family = GroupChat::group(-4242, "Rodzina");
    let anna = bot.phone(601, Some("pl"));
    let mut piotr = bot.phone(602, Some("en"));
    for text in [
        "/start",
        "chcę się umówić do prawnika",
        "godziny otwarcia CPS",
        "/book",
    ] {
        bot.client
            .send_in_group(&anna.user, &family, text)
            .await
            .expect("sent");
    }
    // A button pressed in the group (as from an old message forwarded there) does nothing.
    bot.client
        .press_in_group(&piotr.user, &family, 77, "b:legal")
        .await
        .expect("pressed");
    bot.client
        .send_in_group(&piotr.user, &family, "hello?")
        .await
        .expect("sent");

    let told = bot.services.locales.text(
        Lang::Pl,
        "flood-private-only",
        &[("bot", "@okienko_bot".into())],
    );
    let deadline = Instant::now() + PATIENCE;
    while sent_in(&bot.client, family.id, &told).await == 0 {
        assert!(Instant::now() < deadline, "the group was never told");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(
        bot_messages(&bot.client, family.id).await,
        vec![told.clone()]
    );
    assert_eq!(bot.emulator.emulator.calls("answerCallbackQuery").await, 0);
    // Nothing of theirs was taken in: no user, no dialogue, no booking step.
    assert_eq!(
        count(
            &pool,
            "select count(*) from telegram_user where telegram_id in (601, 602)"
        )
        .await,
        0
    );
    assert_eq!(count(&pool, "select count(*) from dialogue").await, 0);

    // A supergroup and a channel are told once each too.
    let neighbours = GroupChat::supergroup(-100_777, "Sąsiedzi");
    let news = GroupChat::channel(-100_555, "Wiadomości z Chorzowa");
    for _ in 0..3 {
        bot.client
            .send_in_group(&anna.user, &neighbours, "kiedy jest prawnik?")
            .await
            .expect("sent");
        bot.client
            .channel_post(&news, "Nowy numer gazety")
            .await
            .expect("posted");
    }
    let deadline = Instant::now() + PATIENCE;
    while sent_in(&bot.client, neighbours.id, &told).await == 0
        || sent_in(&bot.client, news.id, &told).await == 0
    {
        assert!(
            Instant::now() < deadline,
            "the supergroup or channel was never told"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(bot_messages(&bot.client, neighbours.id).await.len(), 1);
    assert_eq!(bot_messages(&bot.client, news.id).await.len(), 1);

    // The family group is not told again, even by a restarted bot (the database remembers).
    bot.client
        .send_in_group(&anna.user, &family, "halo")
        .await
        .expect("sent");
    let restarted = TestBot::start_with(pool.clone(), |config| common::at(config, MONDAY)).await;
    restarted
        .client
        .send_in_group(&anna.user, &family, "halo")
        .await
        .expect("sent");
    let mut check = restarted.phone(603, Some("pl"));
    check.ask("godziny otwarcia CPS").await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(bot_messages(&bot.client, family.id).await.len(), 1);
    assert_eq!(
        count(&pool, "select count(*) from group_chat").await,
        3,
        "one row per group or channel told"
    );
    // (The restarted bot has its own emulator; its group saw "halo" and was not told.)
    assert!(bot_messages(&restarted.client, family.id).await.is_empty());

    // In private, the same person is served, and the staff group gets its notice of a booking.
    bot.client
        .send_in_group(&anna.user, &staff_group, "/start")
        .await
        .expect("the staff group is known to the emulator");
    assert_has(
        &piotr.ask("what are the opening hours of CPS?").await,
        &["Centrum Pracy Socjalnej"],
    );
    let mut jan = bot.phone(604, Some("pl"));
    let staff_told = staff_notice_after_a_booking(&bot, &mut jan).await;
    let deadline = Instant::now() + PATIENCE;
    while !bot_messages(&bot.client, staff_group.id)
        .await
        .iter()
        .any(|text| text.contains(&staff_told))
    {
        assert!(
            Instant::now() < deadline,
            "the staff group got no notice: {:?}",
            bot_messages(&bot.client, staff_group.id).await
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    bot.assert_no_locale_problems();
}

/// Books legal aid as `person` (in Polish) and returns the name the staff notice carries.
async fn staff_notice_after_a_booking(bot: &TestBot, person: &mut Phone) -> String {
    person.say("chcę się umówić do prawnika").await;
    person.press("pon 16.11").await;
    person.press("13:00").await;
    person.say("Jan Testowy").await;
    bot.client
        .send_contact(&person.user, "+48600100299")
        .await
        .expect("contact shared");
    person.next_message().await;
    person.next_message().await;
    person.press("✅ Potwierdzam").await;
    "Jan Testowy".to_owned()
}

fn okienko() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_okienko"));
    command.current_dir(std::env::temp_dir());
    for name in [
        "TELOXIDE_TOKEN",
        "TELOXIDE_API_URL",
        "DATABASE_URL",
        "OKIENKO_NOW",
        "OKIENKO_LOG",
        "RUST_LOG",
        "OKIENKO_FLOOD_PER_MINUTE",
    ] {
        command.env_remove(name);
    }
    command
}

#[tokio::test]
async fn a_malformed_flood_budget_is_named_in_one_line() {
    for value in ["0", "dużo", "-5", "20.5", "1000000"] {
        let mut command = okienko();
        command
            .arg("run")
            .env("OKIENKO_FLOOD_PER_MINUTE", value)
            .stdout(Stdio::null());
        let output = tokio::task::spawn_blocking(move || command.output())
            .await
            .expect("joined")
            .expect("the program runs");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{value}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
        assert!(
            stderr.starts_with("okienko: OKIENKO_FLOOD_PER_MINUTE is malformed"),
            "{value}: {stderr}"
        );
    }
}

#[sqlx::test]
async fn run_holds_each_person_to_okienko_flood_per_minute(pool: PgPool) {
    let server = Emulator::new(common::TOKEN)
        .serve(std::net::SocketAddr::from(([127, 0, 0, 1], 0)))
        .await
        .expect("the emulator starts");
    let _bot = BotProcess::run(
        &server,
        &pool,
        &[("OKIENKO_NOW", MONDAY), ("OKIENKO_FLOOD_PER_MINUTE", "3")],
    );
    let client = EmulatorClient::new(server.url.clone());
    let mut anna = Phone::new(client.clone(), 701, Some("pl"));
    let mut piotr = Phone::new(client.clone(), 702, Some("pl"));
    // Waits for the program to serve.
    anna.ask("godziny otwarcia CPS").await;
    for _ in 0..6 {
        client
            .send_text(&anna.user, "godziny otwarcia CPS")
            .await
            .expect("sent");
    }
    let locales = okienko::i18n::Locales::load().expect("the locales load");
    let slow_down = locales.plain(Lang::Pl, "flood-slow-down");
    let mut replies = Vec::new();
    for _ in 0..3 {
        replies.push(anna.next_message().await.text);
    }
    anna.expect_silence(Duration::from_secs(2)).await;
    // Two more answers fitted in her budget of three, then the one notice.
    assert_eq!(
        replies.iter().filter(|text| **text == slow_down).count(),
        1,
        "{replies:?}"
    );
    // Someone else has a budget of their own.
    assert_has(
        &piotr.ask("godziny otwarcia CPS").await,
        &["Centrum Pracy Socjalnej"],
    );
}
