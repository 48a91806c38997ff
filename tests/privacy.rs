//! Personal data as the law expects, through the emulator against a real database: /privacy says
//! what is kept, why, for how long and whom to ask; consent is asked once before a name and phone
//! are stored; /mydata sends it all as JSON; /forget erases it; old names and phones are erased by
//! the retention job; a booking row can be deleted; discreet reminders do not name the service.

mod common;

use std::{process::Command, time::Duration};

use common::{
    asks_consent, assert_has, at, count, labels, mediation_fully_booked, BotProcess, Phone,
    TestBot, TOKEN,
};
use okienko::{
    emulator::{Emulator, EmulatorClient},
    i18n::Lang,
};
use sqlx::PgPool;

/// Monday 9 November 2026, 9:00: legal aid on Monday 16 November is bookable.
const NOV_9: &str = "2026-11-09T09:00:00+01:00";

/// Books legal aid on Monday 16 November at `time`; the person has consented before (or
/// consents when asked: a [`Phone`] does by default).
async fn book_legal_aid(bot: &TestBot, phone: &mut Phone, time: &str, name: &str, number: &str) {
    phone.say("chcę się umówić do prawnika").await;
    phone.press("pon 16.11").await;
    phone.press(time).await;
    phone.say(name).await;
    bot.client
        .send_contact(&phone.user, number)
        .await
        .expect("contact shared");
    phone.next_message().await; // thanks
    phone.next_message().await; // the summary
    let confirmed = phone.press("✅ Potwierdzam").await;
    assert_has(&confirmed.text, &["16.11"]);
    phone.next_message().await; // the calendar file
}

/// The JSON document /mydata sends (after its summary in words), parsed back.
async fn my_data(bot: &TestBot, phone: &mut Phone) -> (serde_json::Value, String) {
    phone.say("/mydata").await;
    let message = phone.next_message().await;
    let (file_name, _) = message.document.clone().expect("a document");
    assert!(file_name.ends_with(".json"), "{file_name}");
    let bytes = bot
        .client
        .file(phone.chat_id(), message.message_id)
        .await
        .expect("the file");
    let text = String::from_utf8(bytes).expect("UTF-8");
    let json = serde_json::from_str(&text).expect("valid JSON");
    (json, text)
}

async fn waits_for(what: &str, mut done: impl AsyncFnMut() -> bool) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
    while !done().await {
        assert!(
            tokio::time::Instant::now() < deadline,
            "{what}: not in time"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[sqlx::test]
async fn privacy_says_what_why_how_long_and_whom_to_ask(pool: PgPool) {
    let bot = TestBot::start_with(pool.clone(), |config| {
        at(config, NOV_9);
        config.retention_days = 30;
    })
    .await;
    let mut anna = bot.phone(11, Some("pl"));
    let privacy = anna.say("/privacy").await;
    assert_has(
        &privacy.text,
        &[
            "imię i nazwisko, numer telefonu",
            "listę oczekujących",
            "subskrypcje",
            "przypomnieć",
            "pracownicy centrum",
            "30 dni po wizycie",
            "Ośrodek Pomocy Społecznej w Chorzowie, ul. Racławicka 19, 41-506 Chorzów",
            "Centrum Pracy Socjalnej, 32 241 26 46, cps@opschorzow.pl",
        ],
    );
    assert_eq!(
        labels(&privacy),
        [
            "📄 Moje dane",
            "🗑 Usuń moje dane",
            "🤫 Dyskretne przypomnienia",
            "⬅️ Menu główne"
        ]
    );
    // The questions that reach the same answer.
    for question in ["po co wam moje dane?", "rodo", "moje dane"] {
        assert_eq!(anna.ask(question).await, privacy.text, "{question}");
    }
    // In English, and in the command menu of every language, with /help naming the commands.
    let mut john = bot.phone(12, Some("en"));
    assert_has(
        &john.ask("privacy").await,
        &[
            "30 days after the visit",
            "Ośrodek Pomocy Społecznej w Chorzowie",
        ],
    );
    assert_has(
        &john.ask("/help").await,
        &["/privacy", "/mydata", "/forget"],
    );
    let commands = bot.client.commands().await.expect("commands");
    let listed = serde_json::to_string(&commands).expect("json");
    for command in ["privacy", "mydata", "forget"] {
        assert!(listed.contains(command), "{command} missing from {listed}");
    }
    bot.assert_no_locale_problems();
}

#[sqlx::test]
async fn consent_is_asked_once_before_a_name_is_stored_and_recorded(pool: PgPool) {
    let bot = TestBot::start_at(pool.clone(), NOV_9).await;
    let mut anna = bot.phone(21, Some("pl")).deciding();
    anna.say("chcę się umówić do prawnika").await;
    anna.press("pon 16.11").await;
    let question = anna.press("13:00").await;
    assert!(asks_consent(&question), "{}", question.text);
    assert_has(
        &question.text,
        &[
            "imię i nazwisko, numer telefonu i Twoje wizyty",
            "90 dni",
            "/forget",
            "/privacy",
        ],
    );
    assert_eq!(labels(&question), ["✅ Zgadzam się", "Nie"]);
    let state: String = sqlx::query_scalar("select state::text from dialogue where chat_id = 21")
        .fetch_one(&pool)
        .await
        .expect("a state");
    assert!(state.contains("consenting"), "{state}");
    // A question in between is answered, and the question waits.
    let hint = anna.ask("xyz").await;
    assert_eq!(hint, bot.text(Lang::Pl, "consent-pick"));
    let ask_name = anna.press("✅ Zgadzam się").await;
    assert_has(&ask_name.text, &["16.11", "imię i nazwisko", "/privacy"]);
    let consent_at = count(
        &pool,
        "select count(*) from telegram_user where telegram_id = 21 and consent_at is not null",
    )
    .await;
    assert_eq!(consent_at, 1, "the consent is recorded");
    anna.say("Anna Kowalska").await;
    bot.client
        .send_contact(&anna.user, "+48600100201")
        .await
        .expect("shared");
    anna.next_message().await;
    anna.next_message().await;
    anna.press("✅ Potwierdzam").await;
    anna.next_message().await;
    // Cancelled and booked again: not asked again.
    let visits = anna.say("moje wizyty").await;
    let cancel = visits
        .inline_keyboard
        .iter()
        .flatten()
        .find(|b| b.text.contains("Odwołaj"))
        .and_then(|b| b.callback_data.clone())
        .expect("a cancel button");
    anna.press_data(visits.message_id, &cancel).await;
    anna.next_message().await;
    anna.say("tak").await;
    anna.next_message().await; // the calendar's cancellation
    anna.say("chcę się umówić do prawnika").await;
    anna.press("pon 16.11").await;
    let again = anna.press("14:00").await;
    assert!(!asks_consent(&again), "asked once: {}", again.text);
    assert_has(&again.text, &["imię i nazwisko"]);

    // Typed "tak" is a yes, as at the other steps.
    let mut olek = bot.phone(22, Some("pl")).deciding();
    olek.say("chcę się umówić do prawnika").await;
    olek.press("pon 16.11").await;
    assert!(asks_consent(&olek.press("13:30").await));
    assert_has(&olek.ask("tak").await, &["imię i nazwisko"]);
    bot.assert_no_locale_problems();
}

#[sqlx::test]
async fn no_consent_stores_nothing_and_says_how_else_to_book(pool: PgPool) {
    let bot = TestBot::start_at(pool.clone(), NOV_9).await;
    let mut anna = bot.phone(31, Some("pl")).deciding();
    anna.say("chcę się umówić do prawnika").await;
    anna.press("pon 16.11").await;
    anna.press("13:00").await;
    let no = anna.press("Nie").await;
    assert_has(
        &no.text,
        &[
            "niczego nie zapisałem",
            "Centrum Pracy Socjalnej",
            "32 241 26 46",
        ],
    );
    // Nothing typed next is taken as a name.
    anna.ask("Anna Kowalska").await;
    // The waiting list asks too (it stores a name and phone); "nie" typed is a no.
    mediation_fully_booked(&pool).await;
    anna.say("mediacje rodzinne zapis").await;
    let question = anna.press("📝 Zapisz mnie na listę").await;
    assert!(asks_consent(&question), "{}", question.text);
    assert_has(&anna.ask("nie").await, &["niczego nie zapisałem"]);
    assert_eq!(
        count(&pool, "select count(*) from booking where telegram_id = 31").await,
        0
    );
    assert_eq!(
        count(&pool, "select count(*) from waiting where telegram_id = 31").await,
        0
    );
    assert_eq!(
        count(
            &pool,
            "select count(*) from telegram_user where telegram_id = 31 and consent_at is not null"
        )
        .await,
        0
    );
    assert_eq!(
        count(
            &pool,
            "select count(*) from dialogue where chat_id = 31 and state::text like '%Kowalska%'"
        )
        .await,
        0
    );
    bot.assert_no_locale_problems();
}

#[sqlx::test]
async fn mydata_sends_everything_stored_as_json(pool: PgPool) {
    let bot = TestBot::start_at(pool.clone(), NOV_9).await;
    let mut anna = bot.phone(41, Some("pl"));
    book_legal_aid(&bot, &mut anna, "13:00", "Anna Kowalska", "+48600100241").await;
    let card = anna.say("/start").await;
    anna.press_data(card.message_id, "nj:cas").await;
    anna.next_message().await;
    let (json, _) = my_data(&bot, &mut anna).await;
    assert_eq!(json["user"]["telegram_id"], 41);
    assert!(json["user"]["consent_at"].is_string(), "{json:#}");
    assert_eq!(json["user"]["discreet_reminders"], false);
    let visits = json["visits"].as_array().expect("visits");
    assert_eq!(visits.len(), 1, "{json:#}");
    assert_eq!(visits[0]["service"], "legal-aid");
    assert_eq!(visits[0]["name"], "Anna Kowalska");
    assert_eq!(visits[0]["phone"], "+48600100241");
    assert_eq!(visits[0]["status"], "active");
    assert_eq!(json["subscriptions"][0]["topic"], "cas");
    let pending = json["messages_to_send"].as_array().expect("messages");
    assert!(
        pending.iter().any(|m| m["kind"] == "reminder"),
        "the reminders to come: {json:#}"
    );
    assert!(json["waiting_lists"].as_array().is_some_and(Vec::is_empty));
}

#[sqlx::test]
async fn forget_cancels_upcoming_anonymises_past_and_removes_the_rest(pool: PgPool) {
    let bot = TestBot::start_at(pool.clone(), NOV_9).await;
    let mut staff = bot.staff().await;
    let mut anna = bot.phone(51, Some("pl"));
    book_legal_aid(&bot, &mut anna, "13:00", "Anna Kowalska", "+48600100251").await;
    assert_has(&staff.next_message().await.text, &["Anna Kowalska"]);
    // A past visit, and a place on a waiting list and a subscription.
    sqlx::query(
        "insert into booking (service_key, slot_start, slot_end, seat, telegram_id, chat_id, name, phone, language, status, created_at)
         values ('legal-aid', '2026-10-05T12:00:00Z', '2026-10-05T12:30:00Z', 1, 51, 51, 'Anna Kowalska', '+48600100251', 'pl', 'active', '2026-10-01T10:00:00Z')",
    )
    .execute(&pool)
    .await
    .expect("a past visit");
    sqlx::query(
        "insert into waiting (service_key, telegram_id, chat_id, name, phone, language, status, created_at)
         values ('mediation', 51, 51, 'Anna Kowalska', '+48600100251', 'pl', 'waiting', now())",
    )
    .execute(&pool)
    .await
    .expect("waiting");
    let card = anna.say("/start").await;
    anna.press_data(card.message_id, "nj:cas").await;
    anna.next_message().await;

    let ask = anna.say("/forget").await;
    assert_eq!(labels(&ask), ["🗑 Tak, usuń", "Nie, zostaw"]);
    let done = anna.press("🗑 Tak, usuń").await;
    assert_has(
        &done.text,
        &[
            "Odwołane wizyty: 1",
            "Dawne wizyty bez imienia i numeru: 1",
            "Listy oczekujących: 1",
            "Subskrypcje ogłoszeń: 1",
        ],
    );
    // The staff are told which visit, without the name or phone.
    let notice = staff.next_message().await.text;
    assert_has(
        &notice,
        &["Odwołana wizyta nr", "16.11", "usunęła swoje dane"],
    );
    assert!(!notice.contains("Kowalska"), "{notice}");
    assert!(!notice.contains("600"), "{notice}");

    for (what, sql) in [
        ("names and phones", "select count(*) from booking where name like '%Kowalska%' or phone like '%600100251%'"),
        ("visits of the person", "select count(*) from booking where telegram_id = 51"),
        ("upcoming visits", "select count(*) from booking where status = 'active' and slot_start > '2026-11-09'"),
        ("pending reminders", "select count(*) from outbox_job where kind = 'reminder' and status = 'pending'"),
        ("waiting", "select count(*) from waiting where telegram_id = 51"),
        ("subscriptions", "select count(*) from subscription where telegram_id = 51"),
        ("dialogue", "select count(*) from dialogue where chat_id = 51"),
        ("consent", "select count(*) from telegram_user where telegram_id = 51 and consent_at is not null"),
        ("staff notices naming her", "select count(*) from outbox_job where text like '%Kowalska%' or text like '%600 100 251%'"),
    ] {
        assert_eq!(count(&pool, sql).await, 0, "{what}");
    }
    assert_eq!(
        count(
            &pool,
            "select count(*) from booking where anonymised_at is not null"
        )
        .await,
        2,
        "kept for statistics, without the person"
    );
    let (json, text) = my_data(&bot, &mut anna).await;
    assert!(
        !text.contains("Kowalska") && !text.contains("600100251"),
        "{text}"
    );
    assert!(
        json["visits"].as_array().is_some_and(Vec::is_empty),
        "{json:#}"
    );
    assert!(json["user"]["consent_at"].is_null(), "{json:#}");
    // Asked again before booking again.
    let mut again = anna.deciding();
    again.say("chcę się umówić do prawnika").await;
    again.press("pon 16.11").await;
    assert!(asks_consent(&again.press("14:00").await));
    bot.assert_no_locale_problems();
}

/// Rows of every kind, old and recent, as 9 November 2026 sees them with 90 days' retention.
async fn seed_old_and_recent(pool: &PgPool) {
    sqlx::query(
        "insert into booking (service_key, slot_start, slot_end, seat, telegram_id, chat_id, name, phone, language, status, created_at, cancelled_at) values
         ('legal-aid', '2026-07-06T12:00:00Z', '2026-07-06T12:30:00Z', 1, 61, 61, 'Stara Wizyta', '+48600100261', 'pl', 'active', '2026-07-01T10:00:00Z', null),
         ('legal-aid', '2026-11-02T12:00:00Z', '2026-11-02T12:30:00Z', 1, 62, 62, 'Nowa Wizyta', '+48600100262', 'pl', 'active', '2026-10-30T10:00:00Z', null),
         ('legal-aid', '2026-12-07T12:00:00Z', '2026-12-07T12:30:00Z', 1, 63, 63, 'Dawno Odwolana', '+48600100263', 'pl', 'cancelled', '2026-07-01T10:00:00Z', '2026-07-02T10:00:00Z'),
         ('legal-aid', '2026-11-16T12:00:00Z', '2026-11-16T12:30:00Z', 1, 64, 64, 'Nadchodzaca Wizyta', '+48600100264', 'pl', 'active', '2026-07-01T10:00:00Z', null)",
    )
    .execute(pool)
    .await
    .expect("bookings");
    sqlx::query(
        "insert into waiting (service_key, telegram_id, chat_id, name, phone, language, status, created_at) values
         ('mediation', 65, 65, 'Dawno Wypisana', '+48600100265', 'pl', 'left', '2026-07-01T10:00:00Z'),
         ('mediation', 66, 66, 'Wciaz Czeka', '+48600100266', 'pl', 'waiting', '2026-07-01T10:00:00Z')",
    )
    .execute(pool)
    .await
    .expect("waiting");
    sqlx::query(
        "insert into outbox_job (kind, chat_id, text, due_at, status, created_at, done_at) values
         ('staff', 9000, 'Nowa wizyta: Stara Wizyta, tel. +48 600 100 261', '2026-07-01T10:00:00Z', 'sent', '2026-07-01T10:00:00Z', '2026-07-01T10:00:01Z'),
         ('staff', 9000, 'Nowa wizyta: Nowa Wizyta, tel. +48 600 100 262', '2026-10-30T10:00:00Z', 'sent', '2026-10-30T10:00:00Z', '2026-10-30T10:00:01Z')",
    )
    .execute(pool)
    .await
    .expect("jobs");
}

async fn erased(pool: &PgPool, name: &str) -> bool {
    let sql = format!(
        "select (select count(*) from booking where name = '{name}') + (select count(*) from waiting where name = '{name}') + (select count(*) from outbox_job where text like '%{name}%')"
    );
    count(pool, &sql).await == 0
}

#[sqlx::test]
async fn retention_erases_old_names_and_phones_and_keeps_recent_ones(pool: PgPool) {
    seed_old_and_recent(&pool).await;
    let bot = TestBot::start_at(pool.clone(), NOV_9).await;
    waits_for("the old rows erased", async || {
        erased(&pool, "Stara Wizyta").await
            && erased(&pool, "Dawno Odwolana").await
            && erased(&pool, "Dawno Wypisana").await
    })
    .await;
    for kept in ["Nowa Wizyta", "Nadchodzaca Wizyta", "Wciaz Czeka"] {
        assert!(!erased(&pool, kept).await, "{kept} is kept");
    }
    // Kept for statistics: the service and time, without the person.
    assert_eq!(
        count(&pool, "select count(*) from booking where anonymised_at is not null and name = '' and phone = '' and telegram_id = 0 and service_key = 'legal-aid'").await,
        2
    );
    // The person of an erased visit reads it no more; a booking that reads back still works.
    let mut stara = bot.phone(61, Some("pl"));
    assert_has(&stara.ask("moje wizyty").await, &["Nie masz"]);
}

#[sqlx::test]
async fn a_booking_row_can_be_deleted_with_its_jobs(pool: PgPool) {
    let bot = TestBot::start_at(pool.clone(), NOV_9).await;
    let mut anna = bot.phone(71, Some("pl"));
    book_legal_aid(&bot, &mut anna, "13:00", "Anna Kowalska", "+48600100271").await;
    assert!(
        count(
            &pool,
            "select count(*) from outbox_job where booking_id is not null"
        )
        .await
            > 0
    );
    sqlx::query("delete from booking")
        .execute(&pool)
        .await
        .expect("a booking row can be deleted");
    assert_eq!(
        count(
            &pool,
            "select count(*) from outbox_job where booking_id is not null"
        )
        .await,
        0
    );
}

#[sqlx::test]
async fn discreet_reminders_name_the_centre_and_the_time_only(pool: PgPool) {
    // 45 seconds before the 24-hour reminder of Monday 16 November 13:00.
    let bot = TestBot::start_at(pool.clone(), "2026-11-15T12:59:15+01:00").await;
    let mut anna = bot.phone(81, Some("pl"));
    let privacy = anna.say("/privacy").await;
    assert!(labels(&privacy).contains(&"🤫 Dyskretne przypomnienia".to_owned()));
    let set = anna.press("🤫 Dyskretne przypomnienia").await;
    assert_eq!(set.text, bot.text(Lang::Pl, "privacy-discreet-set"));
    assert!(labels(&set).contains(&"🔔 Pełne przypomnienia".to_owned()));
    book_legal_aid(&bot, &mut anna, "13:00", "Anna Kowalska", "+48600100281").await;
    let reminder = anna.next_message_within(Duration::from_secs(90)).await;
    assert_has(
        &reminder.text,
        &["⏰ Przypomnienie o wizycie", "16.11, godz. 13:00", "CPS"],
    );
    for service in ["pomocy prawnej", "Pomoc prawna", "prawn", "mediac"] {
        assert!(!reminder.text.contains(service), "{}", reminder.text);
    }
    assert_eq!(labels(&reminder), ["✅ Będę", "🔁 Przełóż", "❌ Odwołaj"]);
}

#[sqlx::test]
async fn a_full_reminder_offers_the_discreet_ones(pool: PgPool) {
    let bot = TestBot::start_at(pool.clone(), "2026-11-15T12:59:15+01:00").await;
    let mut anna = bot.phone(82, Some("pl"));
    book_legal_aid(&bot, &mut anna, "13:00", "Anna Kowalska", "+48600100282").await;
    let reminder = anna.next_message_within(Duration::from_secs(90)).await;
    assert_has(&reminder.text, &["Punkt nieodpłatnej pomocy prawnej"]);
    assert!(labels(&reminder).contains(&"🤫 Przypominaj dyskretnie".to_owned()));
    anna.press("🤫 Przypominaj dyskretnie").await;
    assert_eq!(
        count(
            &pool,
            "select count(*) from telegram_user where telegram_id = 82 and discreet_reminders"
        )
        .await,
        1
    );
}

/// OKIENKO_RETENTION_DAYS through the real binary: 30 days erase a visit of 40 days ago.
#[sqlx::test]
async fn run_erases_after_okienko_retention_days(pool: PgPool) {
    sqlx::query(
        "insert into booking (service_key, slot_start, slot_end, seat, telegram_id, chat_id, name, phone, language, status, created_at) values
         ('legal-aid', '2026-09-28T12:00:00Z', '2026-09-28T12:30:00Z', 1, 91, 91, 'Sprzed Miesiaca', '+48600100291', 'pl', 'active', '2026-09-20T10:00:00Z')",
    )
    .execute(&pool)
    .await
    .expect("booking");
    let server = Emulator::new(TOKEN)
        .serve(std::net::SocketAddr::from(([127, 0, 0, 1], 0)))
        .await
        .expect("emulator");
    let _bot = BotProcess::run(
        &server,
        &pool,
        &[("OKIENKO_NOW", NOV_9), ("OKIENKO_RETENTION_DAYS", "30")],
    );
    let mut anna = Phone::new(EmulatorClient::new(server.url.clone()), 92, Some("pl"));
    assert_has(&anna.ask("/privacy").await, &["30 dni po wizycie"]);
    waits_for("the visit of 40 days ago erased", async || {
        erased(&pool, "Sprzed Miesiaca").await
    })
    .await;
}

#[tokio::test]
async fn a_malformed_retention_is_named_in_one_line() {
    let mut command = Command::new(env!("CARGO_BIN_EXE_okienko"));
    command.current_dir(std::env::temp_dir());
    for name in [
        "TELOXIDE_TOKEN",
        "TELOXIDE_API_URL",
        "DATABASE_URL",
        "OKIENKO_NOW",
    ] {
        command.env_remove(name);
    }
    command.arg("run").env("OKIENKO_RETENTION_DAYS", "kwartał");
    let output = tokio::task::spawn_blocking(move || command.output())
        .await
        .expect("joined")
        .expect("runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with("okienko: OKIENKO_RETENTION_DAYS is malformed: expected whole days"),
        "{stderr}"
    );
    assert!(!stderr.contains("kwartał"), "{stderr}");
}

/// Legal aid on Monday 16 November at 13:00 chosen by a person who answers the consent question
/// themselves: returns the question.
async fn to_consent(phone: &mut Phone) -> okienko::emulator::ChatMessage {
    phone.say("chcę się umówić do prawnika").await;
    phone.press("pon 16.11").await;
    let question = phone.press("13:00").await;
    assert!(asks_consent(&question), "{}", question.text);
    question
}

async fn consented(pool: &PgPool, id: i64) -> bool {
    count(
        pool,
        &format!("select count(*) from telegram_user where telegram_id = {id} and consent_at is not null"),
    )
    .await
        == 1
}

/// Tester's finding: "no dobrze zgadzam sie" was taken as a refusal ("no" is a Polish particle),
/// and "zgadzam sie" typed without Polish letters was not understood. The whole message is read.
#[sqlx::test]
async fn typed_consent_is_read_as_a_whole_message(pool: PgPool) {
    let bot = TestBot::start_at(pool.clone(), NOV_9).await;
    let agree = [
        "no dobrze zgadzam sie",
        "zgadzam sie",
        "zgadzam",
        "Zgadzam się.",
        "no tak",
        "ok",
        "I agree",
        "yes",
        "згодна",
        "Так, погоджуюся",
        "добре",
    ];
    for (i, typed) in agree.iter().enumerate() {
        let id = 300 + i as i64;
        let mut halina = bot.phone(id, Some("pl")).deciding();
        to_consent(&mut halina).await;
        let reply = halina.ask(typed).await;
        assert_has(&reply, &["imię i nazwisko"]);
        assert!(consented(&pool, id).await, "{typed:?} is consent");
    }
    let refuse = [
        "nie",
        "nie zgadzam sie",
        "Nie chcę",
        "no",
        "ні",
        "не згодна",
    ];
    for (i, typed) in refuse.iter().enumerate() {
        let id = 350 + i as i64;
        let mut halina = bot.phone(id, Some("pl")).deciding();
        to_consent(&mut halina).await;
        assert_has(&halina.ask(typed).await, &["niczego nie zapisałem"]);
        assert!(!consented(&pool, id).await, "{typed:?} is a refusal");
    }
    // Unsure: asked again, with the buttons right under the question.
    let mut unsure = bot.phone(370, Some("pl")).deciding();
    to_consent(&mut unsure).await;
    let again = unsure.say("tak ale nie wiem co to znaczy").await;
    assert!(asks_consent(&again), "{}", again.text);
    assert!(!again.text.contains("powyżej"), "{}", again.text);
    assert!(!consented(&pool, 370).await);
    bot.assert_no_locale_problems();
}

/// Tester's finding: after "Nie", "Вибачте, я передумала. Я згодна" got "I can't answer that".
#[sqlx::test]
async fn a_change_of_mind_after_no_takes_the_consent_and_goes_on(pool: PgPool) {
    let bot = TestBot::start_at(pool.clone(), NOV_9).await;
    let mut olena = bot.phone(380, Some("pl")).deciding();
    to_consent(&mut olena).await;
    assert_has(&olena.press("Nie").await.text, &["niczego nie zapisałem"]);
    let reply = olena.ask("Вибачте, я передумала. Я згодна").await;
    assert_has(&reply, &["16.11", "imię i nazwisko"]);
    assert!(consented(&pool, 380).await);
    let mut halina = bot.phone(381, Some("pl")).deciding();
    to_consent(&mut halina).await;
    halina.ask("nie").await;
    assert_has(
        &halina.ask("jednak sie zgadzam").await,
        &["imię i nazwisko"],
    );
    assert!(consented(&pool, 381).await);
    // Anything else after "Nie" is a question as ever, and the choice is gone.
    let mut anna = bot.phone(382, Some("pl")).deciding();
    to_consent(&mut anna).await;
    anna.ask("nie").await;
    assert_has(&anna.ask("/privacy").await, &["Twoje dane"]);
    let after = anna.ask("tak").await;
    assert!(!after.contains("imię i nazwisko"), "{after}");
    assert!(!consented(&pool, 382).await);
    bot.assert_no_locale_problems();
}

/// Tester's finding: a question at the consent step (or /privacy) was answered and the booking
/// silently dropped; the hint pointed at "the buttons above", which were another card's.
#[sqlx::test]
async fn a_question_at_the_consent_step_keeps_the_booking(pool: PgPool) {
    let bot = TestBot::start_at(pool.clone(), NOV_9).await;
    let mut halina = bot.phone(390, Some("pl")).deciding();
    to_consent(&mut halina).await;
    let answer = halina
        .say("a mozna zeby w przypomnieniu nie bylo napisane ze do prawnika?")
        .await;
    assert!(
        labels(&answer).contains(&"🤫 Dyskretne przypomnienia".to_owned()),
        "{}",
        answer.text
    );
    let again = halina.next_message().await;
    assert!(
        asks_consent(&again),
        "asked again with its buttons: {}",
        again.text
    );
    assert_has(&halina.ask("tak").await, &["16.11", "imię i nazwisko"]);

    let mut olena = bot.phone(391, Some("pl")).deciding();
    to_consent(&mut olena).await;
    assert_has(&olena.ask("/privacy").await, &["Twoje dane"]);
    let again = olena.next_message().await;
    assert!(
        asks_consent(&again),
        "asked again with its buttons: {}",
        again.text
    );
    assert_has(&olena.ask("tak").await, &["imię i nazwisko"]);
    bot.assert_no_locale_problems();
}

/// Tester's finding: privacy questions in Ukrainian and English, and about discreet reminders,
/// were not understood.
#[sqlx::test]
async fn privacy_questions_in_every_language_reach_the_privacy_card(pool: PgPool) {
    let bot = TestBot::start_at(pool.clone(), NOV_9).await;
    for (id, lang, questions) in [
        (
            400,
            "pl",
            &[
                "dyskretne przypomnienia",
                "nie chce zeby w przypomnieniu bylo ze do prawnika",
            ][..],
        ),
        (
            401,
            "uk",
            &["які дані ви зберігаєте?", "Що ви знаєте про мене?"][..],
        ),
        (
            402,
            "en",
            &[
                "what data do you keep about me?",
                "what do you store about me",
            ][..],
        ),
        (403, "ru", &["какие данные вы храните?"][..]),
    ] {
        let mut phone = bot.phone(id, Some(lang));
        let card = phone.say("/privacy").await;
        for question in questions {
            assert_eq!(phone.ask(question).await, card.text, "{question}");
        }
    }
    bot.assert_no_locale_problems();
}

/// Tester's finding: /mydata sent only a JSON file, which a senior cannot open.
#[sqlx::test]
async fn mydata_also_says_it_in_the_chat(pool: PgPool) {
    let bot = TestBot::start_at(pool.clone(), NOV_9).await;
    let mut anna = bot.phone(410, Some("pl"));
    book_legal_aid(&bot, &mut anna, "13:00", "Anna Kowalska", "+48600100241").await;
    let card = anna.say("/start").await;
    anna.press_data(card.message_id, "nj:cas").await;
    anna.next_message().await;
    sqlx::query(
        "insert into booking (service_key, slot_start, slot_end, seat, telegram_id, chat_id, name, phone, language, status, created_at)
         values ('legal-aid', '2026-10-05T11:00:00Z', '2026-10-05T11:30:00Z', 1, 410, 410, 'Anna Kowalska', '+48600100241', 'pl', 'active', '2026-10-01T10:00:00Z')",
    )
    .execute(&pool)
    .await
    .expect("a past visit");
    sqlx::query(
        "insert into waiting (service_key, telegram_id, chat_id, name, phone, language, status, created_at)
         values ('mediation', 410, 410, 'Anna Kowalska', '+48600100241', 'pl', 'waiting', now())",
    )
    .execute(&pool)
    .await
    .expect("waiting");
    let summary = anna.say("/mydata").await;
    assert!(summary.document.is_none(), "a text first");
    assert_has(
        &summary.text,
        &[
            "Dawna wizyta: Pomoc prawna, poniedziałek 5.10, godz. 13:00",
            "Lista oczekujących: Mediacje",
        ],
    );
    assert_has(
        &summary.text,
        &[
            "Anna Kowalska",
            "+48 600 100 241",
            "Język: Polski",
            "Zgoda na zapisanie danych: 9.11.2026",
            "Dyskretne przypomnienia: wyłączone",
            "Pomoc prawna",
            "16.11",
            "13:00",
            "Ogłoszenia: CAS",
        ],
    );
    let file = anna.next_message().await;
    assert!(file.document.is_some(), "and the file");
    // In Ukrainian, for a person with nothing stored.
    let mut olena = bot.phone(411, Some("uk"));
    let summary = olena.say("/mydata").await;
    assert!(summary.document.is_none());
    assert!(
        summary.text.chars().any(|c| ('а'..='я').contains(&c)),
        "{}",
        summary.text
    );
    assert!(olena.next_message().await.document.is_some());
    bot.assert_no_locale_problems();
}

/// Tester's finding: the consent named only the name and phone, /privacy lists more; /privacy did
/// not list the discreet-reminders setting.
#[sqlx::test]
async fn consent_and_privacy_say_the_same(pool: PgPool) {
    let bot = TestBot::start_at(pool.clone(), NOV_9).await;
    let mut anna = bot.phone(420, Some("pl")).deciding();
    let question = to_consent(&mut anna).await;
    assert_has(
        &question.text,
        &["numer telefonu i Twoje wizyty", "/privacy"],
    );
    let privacy = anna.ask("/privacy").await;
    assert_has(&privacy, &["dyskretne przypomnienia"]);
    let mut john = bot.phone(421, Some("en"));
    assert_has(&john.ask("/privacy").await, &["discreet reminders"]);
}

/// Tester's finding: "no tak" at the name step was stored as the name.
#[sqlx::test]
async fn yes_and_no_words_are_not_names(pool: PgPool) {
    let bot = TestBot::start_at(pool.clone(), NOV_9).await;
    let mut halina = bot.phone(430, Some("pl"));
    halina.say("chcę się umówić do prawnika").await;
    halina.press("pon 16.11").await;
    assert_has(&halina.press("13:00").await.text, &["imię i nazwisko"]);
    for typed in [
        "no tak",
        "tak",
        "nie",
        "ok",
        "yes",
        "ні",
        "так",
        "zgadzam sie",
        "no dobrze",
    ] {
        assert_eq!(
            halina.ask(typed).await,
            bot.text(Lang::Pl, "book-bad-name"),
            "{typed:?}"
        );
    }
    assert_eq!(
        count(&pool, "select count(*) from dialogue where chat_id = 430 and state::text like '%booking_phone%'").await,
        0
    );
}
