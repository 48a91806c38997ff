//! What residents actually type, quoted from the trial runs (issue "a conversation that never
//! misleads"): days and dates named in a question, the standing rule said in words, cards that
//! lead on to booking, everyday needs, walk-in questions, nods and thanks, NGOs asking for a room,
//! and the details of the name and phone steps. Each through the emulator, as Telegram would.

mod common;

use common::{assert_has, labels, TestBot};
use okienko::i18n::Lang;
use sqlx::PgPool;

/// Friday 27 November 2026, 10:00: both centres open; tomorrow is a Saturday.
const FRIDAY: &str = "2026-11-27T10:00:00+01:00";

#[sqlx::test]
async fn a_day_named_without_a_place_is_answered_for_that_day(pool: PgPool) {
    let bot = TestBot::start_at(pool, FRIDAY).await;
    let mut pl = bot.phone(1, Some("pl"));
    for question in ["czy w sobote otwarte", "czy jutro otwarte"] {
        let answer = pl.ask(question).await;
        assert_has(
            &answer,
            &[
                "Centrum Pracy Socjalnej\nJutro (28.11): nieczynne\nOtwarcie w poniedziałek 30.11 o 7:00.",
                "Centrum Aktywizacji Społecznej\nJutro (28.11): nieczynne\nOtwarcie w poniedziałek 30.11 o 7:00.",
            ],
        );
        assert!(!answer.contains("Otwarte teraz"), "{question}: {answer}");
    }
    let mut en = bot.phone(2, Some("en"));
    for question in ["is it open tomorrow", "open on saturday?"] {
        let answer = en.ask(question).await;
        assert_has(
            &answer,
            &[
                "Tomorrow (28 Nov): closed",
                "Opens on Monday 30 Nov at 7:00.",
            ],
        );
        assert!(!answer.contains("Open now"), "{question}: {answer}");
    }
    let monday = en.ask("opening hours on Monday").await;
    assert_has(
        &monday,
        &[
            "On Monday (30 Nov): 7:00–16:00",
            "On Monday (30 Nov): 7:00–18:00",
        ],
    );
    let next = en.ask("open next Monday?").await;
    assert_has(&next, &["On Monday (30 Nov)"]);
    // One centre, tomorrow: when it opens next, and a short keyboard, not every place of it.
    let cps = pl.say("czy jutro otwarte cps").await;
    assert_has(
        &cps.text,
        &[
            "Jutro (28.11): nieczynne",
            "Otwarcie w poniedziałek 30.11 o 7:00.",
        ],
    );
    assert!(labels(&cps).len() <= 6, "{:?}", labels(&cps));
    bot.assert_no_locale_problems();
}

#[sqlx::test]
async fn dates_and_holidays_are_answered_for_that_date(pool: PgPool) {
    // Thursday 5 November 2026.
    let bot = TestBot::start_at(pool, "2026-11-05T10:00:00+01:00").await;
    let mut pl = bot.phone(1, Some("pl"));
    let christmas_eve = pl.ask("czy cps otwarte 24 grudnia").await;
    assert_has(
        &christmas_eve,
        &[
            "W czwartek (24.12): nieczynne (Wigilia)",
            "Otwarcie w poniedziałek 28.12 o 7:00.",
        ],
    );
    assert!(!christmas_eve.contains("Otwarte teraz"), "{christmas_eve}");
    let numeric = pl.ask("cps 24.12?").await;
    assert_has(&numeric, &["W czwartek (24.12): nieczynne (Wigilia)"]);
    let independence = pl.ask("czy prawnik jest 11 listopada").await;
    assert_has(
        &independence,
        &[
            "W środę (11.11): nieczynne (Narodowe Święto Niepodległości)",
            "Otwarcie w poniedziałek 16.11 o 13:00.",
        ],
    );
    let mut en = bot.phone(2, Some("en"));
    let english = en.ask("is the lawyer there on December 24th?").await;
    assert_has(&english, &["Christmas Eve"]);
    bot.assert_no_locale_problems();
}

#[sqlx::test]
async fn the_standing_rule_is_said_in_words_then_the_next_dates(pool: PgPool) {
    let bot = TestBot::start_at(pool, FRIDAY).await;
    let mut pl = bot.phone(1, Some("pl"));
    let lawyer = pl.say("kiedy prawnik").await;
    assert_has(
        &lawyer.text,
        &[
            "W poniedziałki i w środy: 13:00–17:00",
            "Najbliższe terminy:\npon 30.11: 13:00–17:00\nśr 2.12: 13:00–17:00",
        ],
    );
    assert!(!lawyer.text.contains("nd 29.11"), "{}", lawyer.text);
    assert!(labels(&lawyer).contains(&"📅 Umów wizytę".to_owned()));
    let mediation = pl.say("mediacje rodzinne godziny").await;
    assert_has(
        &mediation.text,
        &[
            "W każdy trzeci poniedziałek miesiąca: 13:00–16:00",
            "pon 21.12: 13:00–16:00\npon 18.01: 13:00–16:00",
        ],
    );
    // The card's Book button starts the booking of that service.
    let days = pl.press("📅 Umów wizytę").await;
    assert!(
        days.text.starts_with("Mediacje rodzinne: wybierz dzień."),
        "{}",
        days.text
    );
    let mut en = bot.phone(2, Some("en"));
    assert_has(
        &en.ask("when is family mediation").await,
        &["Every third Monday of the month: 13:00–16:00"],
    );
    assert_has(
        &en.ask("legal aid hours").await,
        &["Mondays and Wednesdays: 13:00–17:00"],
    );
    assert_has(
        &en.ask("CAS hours").await,
        &["Monday to Thursday: 7:00–18:00\nFridays: 7:00–14:00"],
    );
    bot.assert_no_locale_problems();
}

#[sqlx::test]
async fn what_to_bring_to_the_lawyer(pool: PgPool) {
    let bot = TestBot::start_at(pool, FRIDAY).await;
    let mut pl = bot.phone(1, Some("pl"));
    let documents = pl.ask("jakie dokumenty do prawnika").await;
    assert_has(
        &documents,
        &["Co zabrać: dokument tożsamości", "oświadczenie"],
    );
    assert!(!documents.contains("organizac"), "{documents}");
    let mut en = bot.phone(2, Some("en"));
    assert_has(
        &en.ask("what documents do I need for legal aid").await,
        &["What to bring: an identity document"],
    );
    // With no place named: every point's answer.
    for question in ["co zabrac", "a dowod trzeba?", "що треба взяти з собою?"] {
        assert_has(
            &pl.ask(question).await,
            &[
                "🧾 Co zabrać na wizytę:",
                "• Pomoc prawna: dokument tożsamości",
            ],
        );
    }
    // The NGO documents are still the NGO documents.
    assert_has(
        &pl.ask("dokumenty dla organizacji").await,
        &["Dokumenty dla organizacji"],
    );
}

#[sqlx::test]
async fn thanks_nods_and_misrouted_words(pool: PgPool) {
    let bot = TestBot::start_at(pool, FRIDAY).await;
    let mut pl = bot.phone(1, Some("pl"));
    let welcome = bot.text(Lang::Pl, "thanks-reply");
    for nod in ["dzięki", "dzieki wielkie", "DZIENKUJE BARDZO", "👍"] {
        assert_eq!(pl.ask(nod).await, welcome, "{nod}");
    }
    assert_eq!(pl.ask("halo").await, bot.text(Lang::Pl, "greeting-reply"));
    // Not the children's day room for a psychologist: the data has none, so who to call.
    let psychologist = pl.ask("psycholog").await;
    assert!(!psychologist.contains("Świetlica"), "{psychologist}");
    assert_has(&psychologist, &["CPS: tel. +48 32 241 26 46"]);
    let shelter = pl.ask("noclegownia").await;
    assert_has(&shelter, &["Pomoc dla osób bezdomnych", "32 77 16 330"]);
    for question in ["czy moge przyjsc bez zapisu"] {
        let answer = pl.say(question).await;
        assert_has(
            &answer.text,
            &["Umówić trzeba się do:", "Punkt ds. mediacji rodzinnych"],
        );
        assert!(labels(&answer).contains(&"📅 Pomoc prawna".to_owned()));
    }
    let mut en = bot.phone(2, Some("en"));
    let psychologist = en.ask("psychologist").await;
    assert!(!psychologist.contains("Day room"), "{psychologist}");
    let appointment = en.say("do I need an appointment").await;
    assert_has(&appointment.text, &["An appointment is needed for:"]);
    bot.assert_no_locale_problems();
}

#[sqlx::test]
async fn everyday_needs_lead_to_the_places_that_meet_them(pool: PgPool) {
    let bot = TestBot::start_at(pool, FRIDAY).await;
    let mut pl = bot.phone(1, Some("pl"));
    let cases: &[(&str, &[&str])] = &[
        (
            "pomoc",
            &["Centrum Pracy Socjalnej", "Centrum Aktywizacji Społecznej"],
        ),
        ("potrzebuję pomocy", &["Centrum Pracy Socjalnej"]),
        ("potrzebuje pomocy z czynszem", &["Centrum Pracy Socjalnej"]),
        (
            "szukam pracy",
            &["Punkt Poradnictwa Zawodowego", "Klub Integracji Społecznej"],
        ),
        ("jestem bezrobotny", &["Punkt Poradnictwa Zawodowego"]),
        ("zasilek", &["Centrum Pracy Socjalnej"]),
        ("kursy komputerowe", &["Centrum Aktywizacji Społecznej"]),
        ("szkolenia", &["Centrum Aktywizacji Społecznej"]),
    ];
    for (question, places) in cases {
        let answer = pl.say(question).await;
        assert_has(&answer.text, &["Z tym pomogą:"]);
        assert_has(&answer.text, places);
        assert!(
            labels(&answer).len() >= 2,
            "{question}: {:?}",
            labels(&answer)
        );
    }
    let mut en = bot.phone(2, Some("en"));
    assert_has(&en.ask("I need help").await, &["These can help:"]);
    assert_has(&en.ask("who can get help").await, &["These can help:"]);
    assert_has(
        &en.ask("I am homeless").await,
        &["Help for homeless people"],
    );
    assert_has(
        &pl.ask("jestem bezdomny").await,
        &["Pomoc dla osób bezdomnych"],
    );
    assert_has(&pl.ask("nie mam co jesc").await, &["Ciepłe posiłki"]);
    bot.assert_no_locale_problems();
}

#[sqlx::test]
async fn an_ngo_asking_for_a_room_gets_the_cas_offer_not_a_booking(pool: PgPool) {
    let bot = TestBot::start_at(pool, FRIDAY).await;
    let mut pl = bot.phone(1, Some("pl"));
    let room = pl.ask("rezerwacja sali").await;
    assert_has(
        &room,
        &["CAS dla organizacji pozarządowych", "32 307 53 29"],
    );
    let mut en = bot.phone(2, Some("en"));
    let room = en
        .ask("can our association book a room for a meeting")
        .await;
    assert_has(&room, &["CAS for NGOs"]);
}

#[sqlx::test]
async fn the_phone_step_takes_a_labelled_number_and_shows_landlines_grouped(pool: PgPool) {
    let bot = TestBot::start_at(pool, "2026-11-09T09:00:00+01:00").await;
    let mut anna = bot.phone(11, Some("pl"));
    anna.say("chcę się umówić do prawnika").await;
    anna.press("pon 16.11").await;
    anna.press("13:00").await;
    anna.say("Anna Kowalska").await;
    assert_eq!(anna.ask("tel 600100200").await, "Dziękuję.");
    let summary = anna.next_message().await;
    assert_has(&summary.text, &["👤 Anna Kowalska, tel. +48 600 100 200"]);
    anna.press("⬅️ Wstecz").await;
    let mut jan = bot.phone(12, Some("pl"));
    jan.say("chcę się umówić do prawnika").await;
    jan.press("pon 16.11").await;
    jan.press("13:30").await;
    jan.say("Jan Nowak").await;
    jan.say("(32) 241-26-46").await;
    let summary = jan.next_message().await;
    assert_has(&summary.text, &["👤 Jan Nowak, tel. +48 32 241 26 46"]);
}

#[sqlx::test]
async fn questions_about_ones_data_are_answered_also_at_the_name_step(pool: PgPool) {
    let bot = TestBot::start_at(pool, "2026-11-09T09:00:00+01:00").await;
    let mut pl = bot.phone(1, Some("pl"));
    assert_has(
        &pl.ask("rodo").await,
        &[
            "🔒 Twoje dane",
            "90 dni",
            "32 241 26 46",
            "cps@opschorzow.pl",
        ],
    );
    pl.say("chcę się umówić do prawnika").await;
    pl.press("pon 16.11").await;
    pl.press("13:00").await;
    let answer = pl.say("po co wam moje dane?").await;
    assert_has(&answer.text, &["🔒 Twoje dane"]);
    assert_has(
        &pl.next_message().await.text,
        &["Czekam jeszcze na imię i nazwisko"],
    );
    let mut en = bot.phone(2, Some("en"));
    assert_has(
        &en.ask("what do you do with my data").await,
        &["🔒 Your data", "90 days"],
    );
    bot.assert_no_locale_problems();
}
