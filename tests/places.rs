//! Questions about places and hours, asked through the emulator with the bot's clock set to chosen
//! moments (as OKIENKO_NOW does), answered from the shipped directory or another city's file.

mod common;

use std::time::Duration;

use common::{assert_has, labels, TestBot};
use okienko::emulator::EventKind;
use sqlx::PgPool;

/// Monday 23 November 2026, 9:00 in Chorzów.
const MONDAY_MORNING: &str = "2026-11-23T09:00:00+01:00";

#[sqlx::test]
async fn a_monday_morning(pool: PgPool) {
    let bot = TestBot::start_at(pool, MONDAY_MORNING).await;
    let mut pl = bot.phone(1, Some("pl"));
    let cps = pl.ask("czy CPS jest dziś otwarte?").await;
    assert_has(
        &cps,
        &[
            "Centrum Pracy Socjalnej",
            "Dziś (23.11): 7:00–16:00",
            "🟢 Otwarte teraz, do 16:00.",
        ],
    );
    let lawyer = pl.ask("kiedy jest prawnik?").await;
    assert_has(
        &lawyer,
        &[
            "Punkt nieodpłatnej pomocy prawnej",
            "🔴 Teraz zamknięte.",
            "Otwarcie dziś o 13:00.",
            "pon 23.11: 13:00–17:00 ◀ dziś",
            "Stałe godziny:\nW poniedziałki i w środy: 13:00–17:00",
            "Najbliższe terminy:\npon 23.11: 13:00–17:00 ◀ dziś\nśr 25.11: 13:00–17:00\npon 30.11: 13:00–17:00\nśr 2.12: 13:00–17:00",
        ],
    );
    let mut en = bot.phone(2, Some("en"));
    let cas = en.ask("is CAS open now?").await;
    assert_has(
        &cas,
        &["Social Activation Centre", "🟢 Open now, until 18:00."],
    );
    let ppz = en.ask("career counselling hours").await;
    assert_has(
        &ppz,
        &[
            "Closed now.",
            "Opens today at 16:00.",
            "Mon 23 Nov: 16:00–18:00 ◀ today",
        ],
    );
    bot.assert_no_locale_problems();
}

#[sqlx::test]
async fn a_saturday(pool: PgPool) {
    let bot = TestBot::start_at(pool, "2026-11-28T10:00:00+01:00").await;
    let mut pl = bot.phone(1, Some("pl"));
    let cps = pl.ask("czy cps jest teraz otwarte").await;
    assert_has(
        &cps,
        &[
            "🔴 Teraz zamknięte.",
            "Otwarcie w poniedziałek 30.11 o 7:00.",
        ],
    );
    let mediation = pl.ask("kiedy sa mediacje rodzinne").await;
    assert_has(&mediation, &["Otwarcie w poniedziałek 21.12 o 13:00."]);
    let mut en = bot.phone(2, Some("en"));
    let senior = en.ask("senior club hours").await;
    assert_has(
        &senior,
        &[
            "Closed now.",
            "Opens on Thursday 3 Dec at 12:00.",
            "Regular hours:\nThursdays: 12:00–16:00",
            "Next dates:\nThu 3 Dec: 12:00–16:00",
        ],
    );
}

#[sqlx::test]
async fn independence_day(pool: PgPool) {
    // 11 November 2026 is a Wednesday, a legal-aid day, and a public holiday.
    let bot = TestBot::start_at(pool, "2026-11-11T14:00:00+01:00").await;
    let mut pl = bot.phone(1, Some("pl"));
    let lawyer = pl.ask("czy dziś jest prawnik").await;
    assert_has(
        &lawyer,
        &[
            "Dziś (11.11): nieczynne (Narodowe Święto Niepodległości)",
            "🔴 Dziś zamknięte: Narodowe Święto Niepodległości.",
            "Otwarcie w poniedziałek 16.11 o 13:00.",
        ],
    );
    let mut en = bot.phone(2, Some("en"));
    let cps = en.ask("is cps open today").await;
    assert_has(
        &cps,
        &["Closed today: Independence Day.", "Opens tomorrow at 7:00."],
    );
}

#[sqlx::test]
async fn christmas_eve(pool: PgPool) {
    let bot = TestBot::start_at(pool, "2026-12-24T09:00:00+01:00").await;
    let mut pl = bot.phone(1, Some("pl"));
    let cas = pl.ask("godziny otwarcia CAS").await;
    assert_has(
        &cas,
        &[
            "🔴 Dziś zamknięte: Wigilia.",
            "Otwarcie w poniedziałek 28.12 o 7:00.",
            "czw 24.12: nieczynne (Wigilia) ◀ dziś",
            "pt 25.12: nieczynne (Boże Narodzenie)",
            "sob 26.12: nieczynne (drugi dzień Bożego Narodzenia)",
            "pon 28.12: 7:00–18:00",
        ],
    );
    let mut en = bot.phone(2, Some("en"));
    assert_has(
        &en.ask("senior club today").await,
        &["Today (24 Dec): closed (Christmas Eve)"],
    );
}

#[sqlx::test]
async fn the_evening_when_only_cas_is_still_open(pool: PgPool) {
    // Tuesday 24 November 2026, 16:30: CPS closed at 15:00, CAS is open until 18:00.
    let bot = TestBot::start_at(pool, "2026-11-24T16:30:00+01:00").await;
    let mut pl = bot.phone(1, Some("pl"));
    pl.say("/start").await;
    let hours = pl.press("🕐 Godziny otwarcia").await.text;
    let cps = hours.find("Centrum Pracy Socjalnej").expect("CPS listed");
    let cas = hours
        .find("Centrum Aktywizacji Społecznej")
        .expect("CAS listed");
    assert!(cps < cas);
    assert_has(
        &hours[cps..cas],
        &["🔴 Teraz zamknięte.", "Otwarcie jutro o 7:00."],
    );
    assert_has(&hours[cas..], &["🟢 Otwarte teraz, do 18:00."]);
    let mut en = bot.phone(2, Some("en"));
    assert_has(
        &en.ask("what is open now?").await,
        &["Closed now.", "Open now, until 18:00."],
    );
}

#[sqlx::test]
async fn the_night_of_the_autumn_dst_change(pool: PgPool) {
    // 25 October 2026, 02:30 CEST: the hour that happens twice. A Sunday.
    let bot = TestBot::start_at(pool, "2026-10-25T02:30:00+02:00").await;
    let mut pl = bot.phone(1, Some("pl"));
    assert_has(
        &pl.ask("czy cps jest teraz otwarte").await,
        &["Otwarcie jutro o 7:00."],
    );
    let mut en = bot.phone(2, Some("en"));
    assert_has(
        &en.ask("when is the lawyer available?").await,
        &["Opens tomorrow at 13:00.", "Mon 26 Oct: 13:00–17:00"],
    );
}

#[sqlx::test]
async fn the_night_of_the_spring_dst_change(pool: PgPool) {
    // 28 March 2027, 03:30 CEST, just after the missing hour; Easter Sunday, Easter Monday next.
    let bot = TestBot::start_at(pool, "2027-03-28T03:30:00+02:00").await;
    let mut pl = bot.phone(1, Some("pl"));
    assert_has(
        &pl.ask("czy cps jest otwarte").await,
        &[
            "🔴 Dziś zamknięte: Wielkanoc.",
            "Otwarcie we wtorek 30.03 o 7:00.",
        ],
    );
}

#[sqlx::test]
async fn addresses_and_phones_come_from_the_facts(pool: PgPool) {
    let bot = TestBot::start_at(pool, MONDAY_MORNING).await;
    let mut pl = bot.phone(1, Some("pl"));
    let cas = pl.ask("gdzie jest Centrum Aktywizacji").await;
    assert_has(
        &cas,
        &["📍 ul. Powstańców 70/3, Chorzów", "https://www.google.com/maps/search/?api=1&query=ul.+Powsta%C5%84c%C3%B3w+70%2F3%2C+Chorz%C3%B3w"],
    );
    let cps = pl.ask("telefon do cps").await;
    assert_has(
        &cps,
        &[
            "ul. Kasprowicza 2, 41-503 Chorzów",
            "📞 tel. +48 32 241 26 46",
            "✉️ cps@opschorzow.pl",
            "🌐 www.cps-chorzow.pl",
        ],
    );
    let mut en = bot.phone(2, Some("en"));
    let meal = en.ask("where can I get a hot meal").await;
    assert_has(
        &meal,
        &[
            "Hot meals point",
            "Social Work Centre (Centrum Pracy Socjalnej), ul. Kasprowicza 2, 41-503 Chorzów",
        ],
    );
    let library = en.ask("library opening hours").await;
    assert_has(
        &library,
        &["The centre's page gives no hours. Please ask CPS."],
    );
    let ngo = en.ask("what does CAS offer to NGOs").await;
    assert_has(
        &ngo,
        &[
            "an address for registering the organisation",
            "a fully equipped accommodation base",
            "cas@opschorzow.pl",
        ],
    );
    let documents = pl.ask("jakie dokumenty potrzebuje organizacja").await;
    assert_has(
        &documents,
        &[
            "Regulamin CAS",
            "Załącznik nr 1 – Porozumienie dla NGO",
            "Załącznik nr 2 – Oświadczenie",
        ],
    );
    bot.assert_no_locale_problems();
}

#[sqlx::test]
async fn buttons_lead_from_the_menu_to_a_place_and_back(pool: PgPool) {
    let bot = TestBot::start_at(pool, MONDAY_MORNING).await;
    let mut pl = bot.phone(1, Some("pl"));
    pl.say("/start").await;
    pl.press("🕐 Godziny otwarcia").await;
    let cps = pl.press("Centrum Pracy Socjalnej").await;
    assert!(
        labels(&cps).contains(&"Pomoc prawna".to_owned()),
        "{:?}",
        labels(&cps)
    );
    let lawyer = pl.press("Pomoc prawna").await;
    assert!(
        lawyer.text.starts_with("Punkt nieodpłatnej pomocy prawnej"),
        "{}",
        lawyer.text
    );
    assert_has(&lawyer.text, &["Zabierz dokument tożsamości"]);
    assert_eq!(
        labels(&lawyer),
        [
            "🕐 Godziny",
            "📍 Adres i mapa",
            "📞 Kontakt",
            "📅 Umów wizytę",
            "⬅️ CPS",
            "⬅️ Menu główne"
        ]
    );
    assert_has(
        &pl.press("📍 Adres i mapa").await.text,
        &["ul. Kasprowicza 2, 41-503 Chorzów", "🗺 Mapa: https://"],
    );
    assert_has(
        &pl.press("📞 Kontakt").await.text,
        &["📞 tel. +48 32 241 26 46"],
    );
    assert_has(
        &pl.press("🕐 Godziny").await.text,
        &["pon 23.11: 13:00–17:00 ◀ dziś"],
    );
    let back = pl.press("⬅️ CPS").await;
    assert!(
        back.text.starts_with("Centrum Pracy Socjalnej"),
        "{}",
        back.text
    );
    assert_eq!(
        pl.press("⬅️ Menu główne").await.text,
        bot.text(okienko::i18n::Lang::Pl, "menu-prompt")
    );
    // Services lead to the NGO offer and the documents, and back.
    pl.press("📋 Usługi").await;
    assert_has(
        &pl.press("🤝 Dla organizacji (NGO)").await.text,
        &["bezpłatne udostępnianie pomieszczeń"],
    );
    assert_has(
        &pl.press("📄 Dokumenty dla NGO").await.text,
        &["Regulamin CAS"],
    );
    assert!(pl
        .press("⬅️ CAS")
        .await
        .text
        .starts_with("Centrum Aktywizacji Społecznej"));
}

#[sqlx::test]
async fn closures_and_extra_openings_from_the_database_change_the_answers(pool: PgPool) {
    sqlx::query(
        "insert into place_exception (place_key, day, hours, note) values
           ('cps', '2026-11-23', null, 'szkolenie pracowników'),
           ('legal-aid', '2026-11-28', '10:00-12:00', null)",
    )
    .execute(&pool)
    .await
    .expect("exceptions stored");
    let bot = TestBot::start_at(pool, MONDAY_MORNING).await;
    let mut pl = bot.phone(1, Some("pl"));
    assert_has(
        &pl.ask("czy cps jest dziś otwarte").await,
        &[
            "Dziś (23.11): nieczynne: szkolenie pracowników",
            "🔴 Dziś wyjątkowo zamknięte.",
            "Powód: szkolenie pracowników",
            "Otwarcie jutro o 7:00.",
        ],
    );
    // A closure of the centre closes the places in it; the extra Saturday opening shows.
    let lawyer = pl.ask("kiedy jest prawnik").await;
    assert_has(
        &lawyer,
        &[
            "pon 23.11: nieczynne: szkolenie pracowników ◀ dziś",
            "Otwarcie w środę 25.11 o 13:00.",
            "sob 28.11: 10:00–12:00",
        ],
    );
}

#[sqlx::test]
async fn hours_are_answered_while_the_database_is_down(pool: PgPool) {
    sqlx::query("insert into place_exception (place_key, day, hours, note) values ('cas', '2026-11-23', null, null)")
        .execute(&pool)
        .await
        .expect("closure stored");
    let bot = TestBot::start_at(pool.clone(), MONDAY_MORNING).await;
    let mut pl = bot.phone(1, Some("pl"));
    assert_has(
        &pl.ask("czy cas jest otwarte").await,
        &["Dziś wyjątkowo zamknięte."],
    );
    // PostgreSQL goes away: the bot's pool is closed under it.
    bot.services.pool.close().await;
    assert_has(
        &pl.ask("czy cas jest otwarte").await,
        &["Dziś wyjątkowo zamknięte.", "Otwarcie jutro o 7:00."],
    );
    assert_has(
        &pl.ask("gdzie jest cps").await,
        &["ul. Kasprowicza 2, 41-503 Chorzów"],
    );
    pl.say("/start").await;
    assert_has(
        &pl.press("📞 Kontakt").await.text,
        &["tel. +48 32 307 53 29"],
    );
}

#[sqlx::test]
async fn another_citys_file_changes_every_answer(pool: PgPool) {
    let bot = TestBot::start_with(pool, |config| {
        common::at(config, MONDAY_MORNING);
        config.directory =
            Some(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/other-city.toml").into());
    })
    .await;
    let mut pl = bot.phone(1, Some("pl"));
    let lawyer = pl.ask("kiedy jest prawnik?").await;
    assert_has(
        &lawyer,
        &[
            "Dyżur prawnika",
            "Otwarcie w piątek 27.11 o 10:00.",
            "pt 27.11: 10:00–11:30",
        ],
    );
    assert!(!lawyer.contains("Punkt nieodpłatnej"), "{lawyer}");
    assert_has(
        &pl.ask("czy mops jest otwarty").await,
        &["Miejski Ośrodek Pomocy", "do 12:00"],
    );
    let unknown = pl.ask("co to jest").await;
    assert_has(&unknown, &["MOPS: tel. +48 11 222 33 44"]);
    assert!(!unknown.contains("32 241 26 46"), "{unknown}");
    pl.say("/start").await;
    let contacts = pl.press("📞 Kontakt").await.text;
    assert_has(
        &contacts,
        &["ul. Próbna 5, 00-001 Przykładowo", "biuro@example.org"],
    );
    assert!(!contacts.contains("Chorzów"), "{contacts}");
    // With coordinates in the file, an address comes with a map pin.
    let mut en = bot.phone(2, Some("en"));
    assert_has(
        &en.ask("where is the welfare office").await,
        &["ul. Próbna 5"],
    );
    let events = bot
        .client
        .events_after(0, Duration::from_secs(1))
        .await
        .expect("events");
    let pin = events.iter().any(|e| matches!(&e.kind, EventKind::Sent { message } if e.chat_id == 2 && message.text == "MOPS\nul. Próbna 5, 00-001 Przykładowo"));
    assert!(pin, "a venue was sent");
}
