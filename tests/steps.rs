//! Typing where buttons wait, and old buttons pressed again (issue "a conversation that never
//! misleads", part 3): a day, a time or "tak" typed is the press; a question is answered and the
//! step waits, saying so; a step that is over loses its buttons, and an old press tells the truth.

mod common;

use common::{assert_has, count, labels, Phone, TestBot};
use okienko::i18n::Lang;
use sqlx::PgPool;

/// Monday 9 November 2026, 9:00.
const NOV_9: &str = "2026-11-09T09:00:00+01:00";

/// The buttons now on the bot's message `message_id` in the person's chat.
async fn buttons_now(bot: &TestBot, phone: &Phone, message_id: i64) -> Vec<String> {
    let chat = bot.client.chat(phone.chat_id()).await.expect("chat");
    chat.iter()
        .find(|m| m.message_id == message_id)
        .map(|m| {
            m.inline_keyboard
                .iter()
                .flatten()
                .map(|b| b.text.clone())
                .collect()
        })
        .unwrap_or_default()
}

#[sqlx::test]
async fn a_day_a_time_and_yes_typed_book_the_visit(pool: PgPool) {
    let bot = TestBot::start_at(pool.clone(), NOV_9).await;
    let mut halina = bot.phone(21, Some("pl"));
    halina.say("chce sie umowic do prawnika").await;
    // Wednesday 11 November is a holiday: "środa" is the first Wednesday with free times.
    let times = halina.say("sroda").await;
    assert!(
        times
            .text
            .starts_with("Pomoc prawna, śr 18.11: wybierz godzinę."),
        "{}",
        times.text
    );
    // A question at the time step is answered, and the times are shown again under it (the
    // answer's own buttons are now "above").
    let answer = halina.say("gdzie to jest?").await;
    assert_has(&answer.text, &["Kasprowicza 2"]);
    let waiting = halina.next_message().await;
    assert_eq!(waiting.text, times.text);
    assert_eq!(labels(&waiting), labels(&times));
    // Something that is neither: told how to choose.
    assert_eq!(
        halina.ask("nie wiem").await,
        bot.text(Lang::Pl, "step-pick-time")
    );
    // Another day typed at the time step shows that day's times.
    let monday = halina.say("pon 16.11").await;
    assert!(
        monday.text.starts_with("Pomoc prawna, pon 16.11"),
        "{}",
        monday.text
    );
    let ask_name = halina.say("o 14").await;
    assert_has(&ask_name.text, &["poniedziałek 16.11, godz. 14:00–14:30"]);
    halina.say("Halina Nowak").await;
    assert_eq!(halina.ask("tel 600100200").await, "Dziękuję.");
    let summary = halina.next_message().await;
    assert_has(&summary.text, &["Sprawdź, proszę:"]);
    // A question at the summary is answered, and the summary says it still waits.
    assert_has(
        &halina.ask("a dowod trzeba?").await,
        &["dokument tożsamości"],
    );
    assert_eq!(
        halina.next_message().await.text,
        bot.text(Lang::Pl, "step-confirm-booking")
    );
    assert_eq!(
        halina.ask("hmm").await,
        bot.text(Lang::Pl, "step-confirm-booking")
    );
    assert_eq!(count(&pool, "select count(*) from booking").await, 0);
    let confirmed = halina.say("TAK").await;
    assert_has(&confirmed.text, &["✅ Umówione:"]);
    assert_eq!(
        count(
            &pool,
            "select count(*) from booking where status = 'active'"
        )
        .await,
        1
    );
    halina.next_message().await; // the calendar file
    bot.assert_no_locale_problems();
}

#[sqlx::test]
async fn yes_and_no_typed_to_cancel_a_visit(pool: PgPool) {
    let bot = TestBot::start_at(pool.clone(), NOV_9).await;
    let mut anna = bot.phone(22, Some("pl"));
    anna.say("chcę się umówić do prawnika").await;
    anna.press("pon 16.11").await;
    let ask_name = anna.say("13:00").await;
    assert_has(&ask_name.text, &["poniedziałek 16.11, godz. 13:00–13:30"]);
    anna.say("Anna Kowalska").await;
    anna.say("600 100 200").await;
    anna.next_message().await;
    anna.press("✅ Potwierdzam").await;
    anna.next_message().await;
    anna.say("moje wizyty").await;
    anna.press("❌ Odwołaj: pon 16.11 13:00").await;
    assert_eq!(anna.ask("nie").await, bot.text(Lang::Pl, "step-kept"));
    assert_eq!(
        count(
            &pool,
            "select count(*) from booking where status = 'active'"
        )
        .await,
        1
    );
    anna.say("moje wizyty").await;
    anna.press("❌ Odwołaj: pon 16.11 13:00").await;
    let done = anna.say("tak").await;
    assert_has(&done.text, &["Wizyta odwołana"]);
    assert_eq!(
        count(
            &pool,
            "select count(*) from booking where status = 'active'"
        )
        .await,
        0
    );
}

#[sqlx::test]
async fn old_buttons_tell_the_truth(pool: PgPool) {
    let bot = TestBot::start_at(pool.clone(), NOV_9).await;
    let mut anna = bot.phone(23, Some("pl"));
    anna.say("chcę się umówić do prawnika").await;
    anna.press("pon 16.11").await;
    anna.press("13:00").await;
    anna.say("Anna Kowalska").await;
    anna.say("600 100 200").await;
    let summary = anna.next_message().await;
    // Back from the summary is the phone step, the number offered as a button.
    let phone_step = anna.press("⬅️ Wstecz").await;
    assert_has(&phone_step.text, &["+48 600 100 200"]);
    let keys = phone_step.reply_keyboard.clone().expect("a reply keyboard");
    assert_eq!(keys[1][0].text, "+48 600 100 200");
    assert!(buttons_now(&bot, &anna, summary.message_id)
        .await
        .is_empty());
    assert_eq!(anna.ask("+48 600 100 200").await, "Dziękuję.");
    let summary = anna.next_message().await;
    assert_has(&summary.text, &["👤 Anna Kowalska, tel. +48 600 100 200"]);
    anna.press("✅ Potwierdzam").await;
    anna.next_message().await;
    // The summary's buttons are gone; its old data pressed again tells what is booked.
    assert!(buttons_now(&bot, &anna, summary.message_id)
        .await
        .is_empty());
    for data in ["bc", "bc", "bx"] {
        anna.press_data(summary.message_id, data).await;
        let reply = anna.next_message().await;
        assert_eq!(
            reply.text,
            bot.text(Lang::Pl, "book-nothing-open"),
            "{data}"
        );
        let visits = anna.next_message().await;
        assert_has(
            &visits.text,
            &["• Pomoc prawna: poniedziałek 16.11, godz. 13:00–13:30"],
        );
    }
    assert_eq!(count(&pool, "select count(*) from booking").await, 1);

    // Moved: the old visit's buttons say where it is now.
    let list = anna.say("moje wizyty").await;
    let old_cancel = list
        .inline_keyboard
        .iter()
        .flatten()
        .find(|b| b.text.starts_with("❌"))
        .and_then(|b| b.callback_data.clone())
        .expect("cancel button");
    anna.press("🔁 Przełóż: pon 16.11 13:00").await;
    anna.press("śr 18.11").await;
    anna.press("14:00").await;
    let moved = anna.press("✅ Potwierdzam").await;
    assert_has(&moved.text, &["✅ Przełożone"]);
    anna.next_message().await;
    anna.press_data(list.message_id, &old_cancel).await;
    let truth = anna.next_message().await;
    assert_eq!(
        truth.text,
        "Ta wizyta została przełożona. Aktualny termin: Pomoc prawna, środa 18.11, godz. 14:00–14:30."
    );
    assert_eq!(labels(&truth)[1], "❌ Odwołaj: śr 18.11 14:00");
    bot.assert_no_locale_problems();
}

#[sqlx::test]
async fn start_during_the_phone_step_takes_its_keyboard_away(pool: PgPool) {
    let bot = TestBot::start_at(pool, NOV_9).await;
    let mut anna = bot.phone(24, Some("pl"));
    anna.say("chcę się umówić do prawnika").await;
    anna.press("pon 16.11").await;
    anna.press("13:00").await;
    let phone_step = anna.say("Anna Kowalska").await;
    assert!(phone_step.reply_keyboard.is_some());
    let left = anna.say("/start").await;
    assert_eq!(left.text, bot.text(Lang::Pl, "book-aborted"));
    assert_eq!(
        left.reply_keyboard,
        Some(Vec::new()),
        "the keyboard is removed"
    );
    assert_eq!(
        anna.next_message().await.text,
        bot.text(Lang::Pl, "start-greeting")
    );
}

#[sqlx::test]
async fn my_visits_show_the_waiting_lists_with_a_way_off_and_a_visit_under_way(pool: PgPool) {
    common::mediation_fully_booked(&pool).await;
    let bot = TestBot::start_at(pool.clone(), NOV_9).await;
    let mut ewa = bot.phone(25, Some("pl"));
    let none = ewa.say("umów mediacje").await;
    // A fully booked month still says when the next day comes, and when it can be booked.
    assert_has(
        &none.text,
        &["Najbliższy dzień przyjęć po tym okresie: pon 21.12. Zapisy na niego ruszą pon 23.11."],
    );
    ewa.press("📝 Zapisz mnie na listę").await;
    ewa.say("Ewa Nowak").await;
    ewa.say("600 200 300").await;
    ewa.next_message().await;
    let visits = ewa.say("moje wizyty").await;
    assert_has(
        &visits.text,
        &[
            "Nie masz umówionych wizyt.",
            "📝 Lista oczekujących: Mediacje rodzinne",
        ],
    );
    let left = ewa.press("🚪 Wypisz z listy: Mediacje rodzinne").await;
    assert_eq!(
        left.text,
        "Wypisałem Cię z listy oczekujących: Mediacje rodzinne."
    );
    assert_eq!(
        count(&pool, "select count(*) from waiting where status = 'left'").await,
        1
    );
    assert_eq!(
        ewa.ask("moje wizyty").await,
        bot.text(Lang::Pl, "visits-none")
    );
    bot.assert_no_locale_problems();
}

#[sqlx::test]
async fn a_visit_under_way_stays_in_my_visits(pool: PgPool) {
    common::mediation_fully_booked(&pool).await;
    // Monday 16 November, 13:20: person 1's mediation (13:00–14:00) is under way.
    let bot = TestBot::start_at(pool, "2026-11-16T13:20:00+01:00").await;
    let mut one = bot.phone(1, Some("pl"));
    let visits = one.say("moje wizyty").await;
    assert_has(
        &visits.text,
        &["• Mediacje rodzinne: poniedziałek 16.11, godz. 13:00–14:00 (trwa teraz)"],
    );
    assert!(
        !labels(&visits).iter().any(|l| l.starts_with("🔁")),
        "{:?}",
        labels(&visits)
    );
}

/// From the second outside test: a weekday the point does not work, a time not offered, short day
/// names as on the buttons, and a second booking of a service one is already booked for.
#[sqlx::test]
async fn typed_days_and_times_are_checked_against_what_is_free(pool: PgPool) {
    let bot = TestBot::start_at(pool.clone(), NOV_9).await;
    let mut halina = bot.phone(26, Some("pl"));
    halina.say("zapisz mnie do prawnika").await;
    // The lawyer does not work on Fridays.
    assert_eq!(
        halina.ask("piatek").await,
        bot.text(Lang::Pl, "step-day-not-free")
    );
    // A short name as on the buttons: the first free Monday (9.11 is today, 16.11 next).
    let times = halina.say("pon").await;
    assert!(
        times.text.starts_with("Pomoc prawna, pon"),
        "{}",
        times.text
    );
    // A time the point does not offer is not "taken by someone else".
    assert_eq!(
        halina.ask("o 18").await,
        bot.text(Lang::Pl, "step-time-not-free")
    );
    let ask_name = halina.say("14:00").await;
    assert_has(&ask_name.text, &["godz. 14:00–14:30"]);
    halina.say("anuluj").await;
    halina.next_message().await;
    // A day and a time in one message.
    halina.say("zapisz mnie do prawnika").await;
    let times = halina.say("pon 16.11 o 15").await;
    assert!(
        times.text.starts_with("Pomoc prawna, pon 16.11"),
        "{}",
        times.text
    );
    let ask_name = halina.next_message().await;
    assert_has(&ask_name.text, &["poniedziałek 16.11, godz. 15:00–15:30"]);
    halina.say("Halina Nowak").await;
    halina.say("tel 600100200").await;
    halina.next_message().await;
    assert_has(&halina.say("TAK").await.text, &["✅ Umówione"]);
    halina.next_message().await;
    // Booked already: asking again shows that visit, and a typed day starts nothing.
    let existing = halina.say("chce sie umowic do prawnika").await;
    assert_has(&existing.text, &["Masz już umówioną wizytę"]);
    let after = halina.say("sroda").await;
    assert!(!after.text.contains("wybierz godzinę"), "{}", after.text);
    assert_eq!(count(&pool, "select count(*) from booking").await, 1);
}
