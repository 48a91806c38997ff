//! A reply Telegram holds back for longer than a handler waits (429 with a long `retry_after`) is
//! not lost: it goes through the outbox, due when Telegram lets it through, and arrives once,
//! without an apology, while everyone else is answered at once. /forget withdraws such a reply
//! still waiting, and the retention job erases the text of the ones sent.

mod common;

use std::time::{Duration, Instant};

use common::{assert_has, count, labels, TestBot};
use okienko::emulator::{ChatMessage, Fault};
use sqlx::PgPool;

/// A Monday morning, with the CPS open.
const MONDAY: &str = "2026-11-09T10:00:00+01:00";

/// The question whose answer (with its buttons) is held back.
const HOURS: &str = "godziny otwarcia CPS";

/// What the person sees of a message: its text and its buttons with what they do.
fn seen(message: &ChatMessage) -> (String, Vec<(String, Option<String>)>) {
    let buttons = message
        .inline_keyboard
        .iter()
        .flatten()
        .map(|b| (b.text.clone(), b.callback_data.clone()))
        .collect();
    (message.text.clone(), buttons)
}

#[sqlx::test]
async fn a_reply_telegram_holds_back_long_arrives_once_from_the_outbox(pool: PgPool) {
    let bot = TestBot::start_at(pool.clone(), MONDAY).await;
    let mut anna = bot.phone(701, Some("pl"));
    let mut piotr = bot.phone(702, Some("pl"));
    let usual = piotr.say(HOURS).await;
    assert_has(&usual.text, &["Centrum Pracy Socjalnej"]);
    assert!(!labels(&usual).is_empty(), "the answer has its buttons");
    anna.ask("dzień dobry").await;

    // Telegram answers the next message into Anna's chat "too many requests, retry after 8 s".
    bot.client
        .add_fault(Fault::too_many_requests("sendMessage", 8).for_chat(anna.chat_id()))
        .await
        .expect("fault armed");
    let asked = Instant::now();
    bot.client.send_text(&anna.user, HOURS).await.expect("sent");
    bot.client
        .send_text(&piotr.user, HOURS)
        .await
        .expect("sent");

    // Piotr is answered at once, as usual.
    let answer = piotr.next_message_within(Duration::from_secs(2)).await;
    assert!(
        asked.elapsed() < Duration::from_secs(2),
        "Piotr waited {:?}",
        asked.elapsed()
    );
    assert_eq!(seen(&answer), seen(&usual));

    // Anna gets the whole answer, buttons and all, once Telegram lets it through, and no apology.
    let held_back = anna.next_message_within(Duration::from_secs(20)).await;
    let waited = asked.elapsed();
    assert_eq!(seen(&held_back), seen(&usual), "Anna got something else");
    assert!(
        waited >= Duration::from_millis(7500),
        "sent before Telegram's 8 s were over: {waited:?}"
    );
    anna.expect_silence(Duration::from_secs(3)).await;
    assert_eq!(
        count(
            &pool,
            "select count(*) from outbox_job where kind = 'reply' and chat_id = 701 and status = 'sent' and attempts = 1"
        )
        .await,
        1,
        "one reply job, sent on its first try"
    );
    assert_eq!(count(&pool, "select count(*) from outbox_job").await, 1);

    // Her next question is answered straight away again.
    assert_eq!(seen(&anna.say(HOURS).await), seen(&usual));
    bot.assert_no_locale_problems();
}

#[sqlx::test]
async fn forget_withdraws_a_reply_still_held_back(pool: PgPool) {
    let bot = TestBot::start_at(pool.clone(), MONDAY).await;
    let mut anna = bot.phone(711, Some("pl"));
    anna.ask("dzień dobry").await;
    bot.client
        .add_fault(Fault::too_many_requests("sendMessage", 600).for_chat(anna.chat_id()))
        .await
        .expect("fault armed");
    bot.client.send_text(&anna.user, HOURS).await.expect("sent");
    let deadline = Instant::now() + Duration::from_secs(15);
    while count(
        &pool,
        "select count(*) from outbox_job where kind = 'reply' and chat_id = 711 and status = 'pending'",
    )
    .await
        == 0
    {
        assert!(Instant::now() < deadline, "the reply was never put off");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    let ask = anna.say("/forget").await;
    let (message_id, data) = ask
        .inline_keyboard
        .iter()
        .flatten()
        .find(|b| b.text == "🗑 Tak, usuń")
        .and_then(|b| Some((ask.message_id, b.callback_data.clone()?)))
        .expect("the confirm button");
    anna.press_data(message_id, &data).await;
    anna.next_message().await;
    assert_eq!(
        count(
            &pool,
            "select count(*) from outbox_job where kind = 'reply' and status = 'withdrawn' and text is null and keyboard is null"
        )
        .await,
        1,
        "the reply put off is withdrawn, and what it said erased"
    );
}

#[sqlx::test]
async fn retention_erases_the_text_of_replies_sent_long_ago(pool: PgPool) {
    sqlx::query(
        "insert into outbox_job (kind, chat_id, text, keyboard, due_at, status, created_at, done_at) values
         ('reply', 721, 'Stara Odpowiedz, tel. +48 600 100 721', '{\"inline_keyboard\": []}', '2026-07-01T10:00:00Z', 'sent', '2026-07-01T10:00:00Z', '2026-07-01T10:00:08Z'),
         ('reply', 722, 'Dawno Niewyslana, tel. +48 600 100 722', null, '2026-07-01T10:00:00Z', 'failed', '2026-07-01T10:00:00Z', '2026-07-01T10:00:08Z'),
         ('reply', 723, 'Nowa Odpowiedz, tel. +48 600 100 723', null, '2026-11-08T10:00:00Z', 'sent', '2026-11-08T10:00:00Z', '2026-11-08T10:00:08Z')",
    )
    .execute(&pool)
    .await
    .expect("old and recent replies");
    let _bot = TestBot::start_at(pool.clone(), MONDAY).await;
    let deadline = Instant::now() + Duration::from_secs(15);
    while count(
        &pool,
        "select count(*) from outbox_job where text like '%Stara%' or text like '%Dawno%' or keyboard is not null",
    )
    .await
        > 0
    {
        assert!(Instant::now() < deadline, "the old replies were not erased");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(
        count(
            &pool,
            "select count(*) from outbox_job where text like '%Nowa Odpowiedz%'"
        )
        .await,
        1,
        "a recent one is kept"
    );
}
