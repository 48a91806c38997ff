//! Words of danger or crisis get the emergency numbers and helplines first, with no menu in the
//! way, then the centre that helps in office hours; in Polish and English, and in the middle of
//! a booking, which then still waits.

mod common;

use common::{assert_has, TestBot};
use okienko::i18n::Lang;
use sqlx::PgPool;

const MONDAY_MORNING: &str = "2026-11-23T09:00:00+01:00";

#[sqlx::test]
async fn violence_danger_and_suicide_get_the_numbers_first_in_polish(pool: PgPool) {
    let bot = TestBot::start_at(pool, MONDAY_MORNING).await;
    let mut pl = bot.phone(1, Some("pl"));
    for text in [
        "maz mnie bije",
        "mąż mnie bije",
        "przemoc w rodzinie",
        "niebieska karta",
    ] {
        let reply = pl.say(text).await;
        assert!(
            reply
                .text
                .starts_with("Jeśli grozi Ci niebezpieczeństwo, dzwoń pod 112"),
            "{text}: {}",
            reply.text
        );
        assert_has(
            &reply.text,
            &[
                "„Niebieska Linia”",
                "800 120 002",
                "W godzinach pracy pomaga Centrum Pracy Socjalnej: ul. Kasprowicza 2, 41-503 Chorzów, tel. +48 32 241 26 46.",
            ],
        );
        assert!(
            reply.inline_keyboard.is_empty(),
            "no menu in the way: {text}"
        );
    }
    for text in ["nie chce juz zyc", "chcę się zabić", "chce umrzec"] {
        assert_has(
            &pl.ask(text).await,
            &["112", "116 123", "116sos.pl", "116 111"],
        );
    }
    for text in [
        "on mnie zabije",
        "boje sie wrocic do domu",
        "maz mnie uderzyl",
    ] {
        assert_has(&pl.ask(text).await, &["112", "800 120 002"]);
    }
    assert_has(
        &pl.ask("jestem bezdomny").await,
        &["pokoju 114", "32 77 16 330", "3 Maja 31", "sprawdź w OPS"],
    );
    assert_has(
        &pl.ask("nie mam co jeść").await,
        &["112", "ciepłych posiłków"],
    );
    bot.assert_no_locale_problems();
}

#[sqlx::test]
async fn violence_danger_and_suicide_get_the_numbers_first_in_english(pool: PgPool) {
    let bot = TestBot::start_at(pool, MONDAY_MORNING).await;
    let mut en = bot.phone(2, Some("en"));
    for text in ["my husband hits me", "domestic violence", "emergency"] {
        let reply = en.say(text).await;
        assert!(
            reply
                .text
                .starts_with("If you are in danger, call 112 (free, 24/7)"),
            "{text}: {}",
            reply.text
        );
        assert!(
            reply.inline_keyboard.is_empty(),
            "no menu in the way: {text}"
        );
    }
    assert_has(
        &en.ask("my husband hits me").await,
        &[
            "800 120 002",
            "In office hours, help comes from the Social Work Centre",
        ],
    );
    for text in [
        "I want to kill myself",
        "i dont want to live anymore",
        "im going to end it all",
    ] {
        assert_has(&en.ask(text).await, &["116 123", "116 111"]);
    }
    assert_has(
        &en.ask("I am homeless").await,
        &["room 114", "32 77 16 330"],
    );
    bot.assert_no_locale_problems();
}

#[sqlx::test]
async fn everyday_words_are_not_taken_for_a_crisis(pool: PgPool) {
    let bot = TestBot::start_at(pool, MONDAY_MORNING).await;
    let mut pl = bot.phone(3, Some("pl"));
    for text in [
        "gdzie wydają ciepłe posiłki",
        "kiedy jest prawnik",
        "czy jest pogotowie prawne",
        "polityka prywatności",
        "pobyt w klubie seniora",
        "baza noclegowa dla organizacji",
        "mieszkam na ulicy Kasprowicza, gdzie jest CPS?",
        "Яка адреса центру на вулиці Kasprowicza?",
        "the office on the street by the park",
        "boję się, że nie zdążę na wizytę",
    ] {
        let reply = pl.ask(text).await;
        assert!(!reply.contains("112"), "{text}: {reply}");
    }
}

/// Someone in danger is answered in the language they wrote in, whatever their phone is set to.
#[sqlx::test]
async fn a_crisis_is_answered_in_the_language_it_was_written_in(pool: PgPool) {
    let bot = TestBot::start_at(pool, MONDAY_MORNING).await;
    let mut polish_phone = bot.phone(5, Some("pl"));
    let reply = polish_phone.ask("my husband hits me").await;
    assert!(
        reply.starts_with("If you are in danger, call 112 (free, 24/7)"),
        "{reply}"
    );
    let mut english_phone = bot.phone(6, Some("en"));
    let reply = english_phone.ask("mąż mnie bije").await;
    assert!(reply.contains("112"), "{reply}");
    assert!(!reply.starts_with("If you are in danger"), "{reply}");
    let reply = english_phone.ask("Чоловік мене б'є").await;
    assert_has(&reply, &["112"]);
    assert!(!reply.starts_with("If you are in danger"), "{reply}");
}

#[sqlx::test]
async fn crisis_words_in_ukrainian_and_russian_get_the_numbers(pool: PgPool) {
    let bot = TestBot::start_at(pool, MONDAY_MORNING).await;
    let mut olena = bot.phone(4, Some("uk"));
    for text in [
        "Чоловік мене б'є",
        "Не хочу жити",
        "мені нема де ночувати",
        "Мені нема що їсти",
        "муж меня бьет",
        "хочу покончить с собой",
    ] {
        let reply = olena.ask(text).await;
        assert_has(&reply, &["112"]);
    }
    bot.assert_no_locale_problems();
}

#[sqlx::test]
async fn a_crisis_typed_during_a_booking_is_answered_and_the_booking_waits(pool: PgPool) {
    let bot = TestBot::start_at(pool, "2026-11-09T09:00:00+01:00").await;
    let mut anna = bot.phone(11, Some("pl"));
    anna.say("chcę się umówić do prawnika").await;
    anna.press("pon 16.11").await;
    anna.press("13:00").await;
    let crisis = anna.say("maz mnie bije").await;
    assert!(
        crisis.text.starts_with("Jeśli grozi Ci niebezpieczeństwo"),
        "{}",
        crisis.text
    );
    // The words were not taken as a name; the name step still waits, and says so.
    assert_has(
        &anna.next_message().await.text,
        &["Czekam jeszcze na imię i nazwisko do zapisu: Pomoc prawna."],
    );
    assert_eq!(
        anna.ask("Anna Kowalska").await,
        bot.text(Lang::Pl, "book-ask-phone")
    );
}
