//! Faults between the bot and what it talks to: PostgreSQL and the Bot API server each behind a
//! proxy the test cuts (a reset, as a restarted server; a hang, as a dead network) and restores,
//! mid-booking, mid-reminder and mid-update. While cut, hours and addresses are answered and a
//! booking step says it is briefly unavailable; after, the bot recovers by itself, and the rows
//! and the messages are counted to prove that nothing was lost and nothing was done twice.

mod common;

use std::time::{Duration, Instant};

use common::{
    assert_has, count,
    proxy::{Cut, Proxies},
    Phone, TestBot, STAFF_CHAT,
};
use okienko::{emulator::ChatMessage, i18n::Lang};
use sqlx::PgPool;

/// Monday 9 November 2026, 9:00: Monday 16 November (legal aid 13:00–17:00) is bookable.
const NOV_9: &str = "2026-11-09T09:00:00+01:00";
const ADDRESS: &str = "ul. Kasprowicza 2, 41-503 Chorzów";

/// Up to the name step of legal aid on Monday 16 November, 13:00.
async fn up_to_name(phone: &mut Phone) {
    phone.say("chcę się umówić do prawnika").await;
    phone.press("pon 16.11").await;
    assert_has(&phone.press("13:00").await.text, &["imię i nazwisko"]);
}

/// From the name step to the summary.
async fn name_and_phone(bot: &TestBot, phone: &mut Phone) -> ChatMessage {
    assert_eq!(
        phone.ask("Anna Kowalska").await,
        bot.text(Lang::Pl, "book-ask-phone")
    );
    bot.client
        .send_contact(&phone.user, "+48600100200")
        .await
        .expect("contact shared");
    phone.next_message().await; // thanks, the phone keyboard removed
    phone.next_message().await
}

/// Hours and an address are answered with the database cut: they need none.
async fn hours_and_address_still_answered(phone: &mut Phone) {
    assert_has(
        &phone.ask("godziny otwarcia CPS").await,
        &["Centrum Pracy Socjalnej", "7:00"],
    );
    assert_has(&phone.ask("gdzie jest cps").await, &[ADDRESS]);
}

/// Waits until `sql` (a count) reads `expected`, for at most `patience`.
async fn until_count(pool: &PgPool, sql: &str, expected: i64, patience: Duration) {
    let deadline = Instant::now() + patience;
    loop {
        let now = count(pool, sql).await;
        if now == expected {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{sql} stayed {now}, not {expected}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The bot's messages in a chat, as the emulator recorded them.
async fn sent_to(bot: &TestBot, chat: i64, containing: &str) -> usize {
    bot.client
        .chat(chat)
        .await
        .expect("the chat is readable")
        .iter()
        .filter(|m| m.from_bot && m.text.contains(containing))
        .count()
}

/// One booking of Anna's, its reminders once each, one staff notice, as the emulator and the
/// database both count them.
async fn booked_once(bot: &TestBot, pool: &PgPool, staff: &mut Phone) {
    assert_eq!(count(pool, "select count(*) from booking").await, 1);
    assert_eq!(
        count(
            pool,
            "select count(*) from booking where status = 'active' and name = 'Anna Kowalska'"
        )
        .await,
        1
    );
    assert_eq!(
        count(
            pool,
            "select count(*) from outbox_job where kind = 'reminder'"
        )
        .await,
        2,
        "the 24-hour and the 2-hour reminder, once each"
    );
    until_count(
        pool,
        "select count(*) from outbox_job where kind = 'staff' and status = 'sent'",
        1,
        common::PATIENCE,
    )
    .await;
    let notice = staff.next_message().await;
    assert_has(&notice.text, &["Nowa wizyta", "Anna Kowalska"]);
    staff.expect_silence(Duration::from_secs(2)).await;
    assert_eq!(sent_to(bot, STAFF_CHAT, "Nowa wizyta").await, 1);
    assert_eq!(count(pool, "select count(*) from outbox_job").await, 3);
}

/// Holds the advisory lock the bot takes for user `id`'s booking, from outside the proxy, so that
/// a confirm press waits inside its transaction; returns once the bot is waiting for it.
async fn hold_person(pool: &PgPool, id: i64) -> sqlx::pool::PoolConnection<sqlx::Postgres> {
    let mut holder = pool.acquire().await.expect("a connection");
    sqlx::query("select pg_advisory_lock($1)")
        .bind(id)
        .execute(&mut *holder)
        .await
        .expect("locked");
    holder
}

async fn until_the_bot_waits_for_the_lock(pool: &PgPool) {
    until_count(
        pool,
        "select count(*) from pg_locks
         where locktype = 'advisory' and not granted
           and database = (select oid from pg_database where datname = current_database())",
        1,
        common::PATIENCE,
    )
    .await;
}

#[sqlx::test]
async fn a_database_restarted_mid_booking_is_said_and_the_booking_ends_once(pool: PgPool) {
    let (bot, net) = TestBot::start_behind_proxies(pool.clone(), NOV_9).await;
    let Proxies { database, .. } = &net;
    let mut staff = bot.staff().await;
    let mut anna = bot.phone(11, Some("pl"));
    let unavailable = bot.text(Lang::Pl, "database-unavailable");
    up_to_name(&mut anna).await;

    // At the name step: the database restarts.
    database.cut(Cut::Reset);
    hours_and_address_still_answered(&mut anna).await;
    assert_eq!(anna.ask("Anna Kowalska").await, unavailable);
    database.restore();
    // Back: the step waited, and the name is taken as the name.
    let summary = name_and_phone(&bot, &mut anna).await;
    assert_has(&summary.text, &["Anna Kowalska", "13:00–13:30"]);

    // At the confirm press, inside the booking's transaction: the database restarts.
    let (summary_id, confirm) = find_button(&bot, &anna, "✅ Potwierdzam").await;
    let holder = hold_person(&pool, 11).await;
    let (said, ()) = tokio::join!(anna.press("✅ Potwierdzam"), async {
        until_the_bot_waits_for_the_lock(&pool).await;
        database.cut(Cut::Reset);
    });
    assert_eq!(said.text, unavailable, "booking is said to be unavailable");
    drop(holder);
    assert_eq!(count(&pool, "select count(*) from booking").await, 0);
    hours_and_address_still_answered(&mut anna).await;
    database.restore();

    // Back: the same summary's button books, once.
    assert_has(
        &anna.press("✅ Potwierdzam").await.text,
        &["✅ Umówione", "poniedziałek 16.11, godz. 13:00–13:30"],
    );
    anna.next_message().await; // the calendar file
    booked_once(&bot, &pool, &mut staff).await;
    // A second press of the old button books nothing more.
    anna_press(&bot, &anna, summary_id, &confirm).await;
    anna.next_message().await;
    staff.expect_silence(Duration::from_secs(2)).await;
    assert_eq!(count(&pool, "select count(*) from booking").await, 1);
    assert_eq!(count(&pool, "select count(*) from outbox_job").await, 3);
    bot.assert_no_locale_problems();
}

#[sqlx::test]
async fn a_dead_network_to_the_database_is_waited_for_a_bounded_time(pool: PgPool) {
    let (bot, net) = TestBot::start_behind_proxies(pool.clone(), NOV_9).await;
    let Proxies { database, .. } = &net;
    let mut staff = bot.staff().await;
    let mut anna = bot.phone(11, Some("pl"));
    let unavailable = bot.text(Lang::Pl, "database-unavailable");
    up_to_name(&mut anna).await;
    let summary = name_and_phone(&bot, &mut anna).await;
    assert_has(&summary.text, &["Anna Kowalska"]);

    // The confirm press waits inside its transaction, and the network to the database dies: no
    // answer ever comes back (no reset, no error).
    let holder = hold_person(&pool, 11).await;
    let (message_id, data) = find_button(&bot, &anna, "✅ Potwierdzam").await;
    anna_press(&bot, &anna, message_id, &data).await;
    let pressed = Instant::now();
    let (said, ()) = tokio::join!(anna.next_message_within(Duration::from_secs(60)), async {
        until_the_bot_waits_for_the_lock(&pool).await;
        database.cut(Cut::Hang);
    });
    let waited = pressed.elapsed();
    assert_eq!(said.text, unavailable);
    assert!(
        waited < Duration::from_secs(40),
        "answered after {waited:?}"
    );
    drop(holder);
    // Questions go on being answered while it hangs.
    let asked = Instant::now();
    hours_and_address_still_answered(&mut anna).await;
    assert!(
        asked.elapsed() < Duration::from_secs(25),
        "{:?}",
        asked.elapsed()
    );
    database.restore();

    // Back: the held bytes go through.
    tokio::time::sleep(Duration::from_secs(1)).await;
    // The transaction given up was rolled back: the press books now.
    assert_has(&anna.press("✅ Potwierdzam").await.text, &["✅ Umówione"]);
    tokio::time::sleep(Duration::from_secs(1)).await;
    booked_once(&bot, &pool, &mut staff).await;
    bot.assert_no_locale_problems();
}

/// The newest button labelled `label` in the phone's chat: (message, callback data).
async fn find_button(bot: &TestBot, phone: &Phone, label: &str) -> (i64, String) {
    let chat = bot.client.chat(phone.chat_id()).await.expect("readable");
    chat.iter()
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

async fn anna_press(bot: &TestBot, phone: &Phone, message_id: i64, data: &str) {
    bot.client
        .press(&phone.user, message_id, data)
        .await
        .expect("the emulator takes the press");
}

/// A legal-aid visit of user `user` on Monday 16 November at 13:00, with its 24-hour reminder due
/// at `due`, written straight into the database as the booking flow writes them.
async fn seed_reminder(pool: &PgPool, user: i64, due: &str) {
    let id: i64 = sqlx::query_scalar(
        "insert into booking (service_key, slot_start, slot_end, seat, telegram_id, chat_id, name, phone, language, status, created_at)
         values ('legal-aid', '2026-11-16T12:00:00Z', '2026-11-16T12:30:00Z', 1, $1, $1, 'Osoba', '+48600100200', 'pl', 'active', now()) returning id",
    )
    .bind(user)
    .fetch_one(pool)
    .await
    .expect("booking");
    sqlx::query(
        "insert into outbox_job (kind, booking_id, chat_id, due_at, created_at) values ('reminder', $1, $2, $3::timestamptz, now())",
    )
    .bind(id)
    .bind(user)
    .bind(due)
    .execute(pool)
    .await
    .expect("job");
    sqlx::query("select pg_notify('outbox', '')")
        .execute(pool)
        .await
        .expect("notify");
}

const REMINDER: &str = "Przypomnienie o wizycie";

#[sqlx::test]
async fn a_reminder_due_while_the_database_is_down_arrives_once_after(pool: PgPool) {
    // Ten seconds before a 24-hour reminder is due.
    let (bot, net) = TestBot::start_behind_proxies(pool.clone(), "2026-11-15T12:59:50+01:00").await;
    seed_reminder(&pool, 71, "2026-11-15T13:00:00+01:00").await;
    let mut anna = bot.phone(71, Some("pl"));
    anna.say("/start").await;
    net.database.cut(Cut::Reset);
    // Due, and the database is away for twenty seconds past it.
    anna.expect_silence(Duration::from_secs(30)).await;
    net.database.restore();
    let reminder = anna.next_message_within(Duration::from_secs(30)).await;
    assert_has(&reminder.text, &[REMINDER]);
    anna.expect_silence(Duration::from_secs(3)).await;
    assert_eq!(sent_to(&bot, 71, REMINDER).await, 1);
    assert_eq!(
        count(
            &pool,
            "select count(*) from outbox_job where status = 'sent'"
        )
        .await,
        1
    );
}

#[sqlx::test]
async fn a_reminder_sent_while_the_database_went_away_is_not_sent_again(pool: PgPool) {
    // A short lease, so that a job whose outcome could not be recorded is claimed again soon.
    let (bot, net) =
        TestBot::start_behind_proxies_with(pool.clone(), "2026-11-15T12:59:55+01:00", |config| {
            config.outbox_lease = Duration::from_secs(5)
        })
        .await;
    let Proxies { database, api } = &net;
    let mut anna = bot.phone(72, Some("pl"));
    anna.say("/start").await;
    // The network to Telegram dies just before the reminder is due: it is claimed, and its
    // sending is held in the network.
    api.cut(Cut::Hang);
    seed_reminder(&pool, 72, "2026-11-15T13:00:00+01:00").await;
    until_count(
        &pool,
        "select count(*) from outbox_job where lease_until is not null",
        1,
        Duration::from_secs(20),
    )
    .await;
    // Then the database goes, and the network comes back: the reminder reaches Telegram, and the
    // worker cannot write down that it did.
    database.cut(Cut::Reset);
    tokio::time::sleep(Duration::from_millis(300)).await;
    api.restore();
    let reminder = anna.next_message_within(Duration::from_secs(30)).await;
    assert_has(&reminder.text, &[REMINDER]);
    // The database is away past the lease, and back.
    tokio::time::sleep(Duration::from_secs(8)).await;
    database.restore();
    until_count(
        &pool,
        "select count(*) from outbox_job where status = 'sent'",
        1,
        Duration::from_secs(30),
    )
    .await;
    anna.expect_silence(Duration::from_secs(8)).await;
    assert_eq!(sent_to(&bot, 72, REMINDER).await, 1);
}

#[sqlx::test]
async fn telegram_away_mid_update_and_for_a_minute_loses_nothing(pool: PgPool) {
    let (bot, net) = TestBot::start_behind_proxies(pool.clone(), "2026-11-15T12:59:30+01:00").await;
    let Proxies { api, .. } = &net;
    let mut staff = bot.staff().await;
    let mut anna = bot.phone(11, Some("pl"));
    // Anna books Wednesday's legal aid (the 16th's 13:00 is taken by the reminder's visit).
    seed_reminder(&pool, 73, "2026-11-15T13:00:00+01:00").await;
    let mut ola = bot.phone(73, Some("pl"));
    ola.say("/start").await;
    anna.say("chcę się umówić do prawnika").await;
    anna.press("śr 18.11").await;
    anna.press("14:00").await;
    name_and_phone(&bot, &mut anna).await;

    // The confirm press is taken, and Telegram goes away before the answer can be sent.
    let holder = hold_person(&pool, 11).await;
    let (message_id, data) = find_button(&bot, &anna, "✅ Potwierdzam").await;
    anna_press(&bot, &anna, message_id, &data).await;
    until_the_bot_waits_for_the_lock(&pool).await;
    api.cut(Cut::Reset);
    drop(holder);
    // Away for seventy-five seconds: Ola's reminder falls due meanwhile, and Anna writes.
    tokio::time::sleep(Duration::from_secs(3)).await;
    bot.client
        .send_text(&anna.user, "gdzie jest cps")
        .await
        .expect("the emulator takes the message");
    tokio::time::sleep(Duration::from_secs(72)).await;
    api.restore();

    // Back: the bot polls again by itself and answers what waited.
    let mut answered = false;
    let deadline = Instant::now() + Duration::from_secs(45);
    while !answered {
        let message = anna.next_message_within(deadline - Instant::now()).await;
        answered = message.text.contains(ADDRESS);
    }
    assert_has(&anna.ask("godziny otwarcia CPS").await, &["7:00"]);
    // The reminder and the staff notice arrive, once each.
    let reminder = ola.next_message_within(Duration::from_secs(60)).await;
    assert_has(&reminder.text, &[REMINDER]);
    until_count(
        &pool,
        "select count(*) from outbox_job where status = 'sent'",
        2,
        Duration::from_secs(60),
    )
    .await;
    staff.next_message_within(Duration::from_secs(5)).await;
    staff.expect_silence(Duration::from_secs(3)).await;
    ola.expect_silence(Duration::from_millis(500)).await;
    assert_eq!(sent_to(&bot, 73, REMINDER).await, 1);
    assert_eq!(sent_to(&bot, STAFF_CHAT, "Nowa wizyta").await, 1);
    assert_eq!(
        count(
            &pool,
            "select count(*) from booking where telegram_id = 11 and status = 'active'"
        )
        .await,
        1,
        "the booking made while Telegram was away stands"
    );
    // And Anna finds it under her visits.
    anna.say("/start").await;
    assert_has(
        &anna.press("🗓 Moje wizyty").await.text,
        &["Pomoc prawna: środa 18.11, godz. 14:00–14:30"],
    );
}

#[sqlx::test]
async fn a_dead_network_to_telegram_is_outlived(pool: PgPool) {
    let (bot, net) = TestBot::start_behind_proxies(pool.clone(), NOV_9).await;
    let mut anna = bot.phone(11, Some("pl"));
    anna.say("/start").await;
    // The network to Telegram dies (no reset: requests and answers are held), and Anna writes.
    net.api.cut(Cut::Hang);
    bot.client
        .send_text(&anna.user, "gdzie jest cps")
        .await
        .expect("the emulator takes the message");
    tokio::time::sleep(Duration::from_secs(25)).await;
    net.api.restore();
    // Back: the bot polls again by itself, and answers once.
    let answer = anna.next_message_within(Duration::from_secs(30)).await;
    assert_has(&answer.text, &[ADDRESS]);
    anna.expect_silence(Duration::from_secs(5)).await;
    assert_eq!(sent_to(&bot, 11, ADDRESS).await, 1);
    assert_has(&anna.ask("godziny otwarcia CPS").await, &["7:00"]);
}
