//! Booking visits through the emulator, against a real database: book, list, move and cancel for
//! both services in both languages; holidays, third Mondays and the minimum notice; fifty people
//! at one slot; forged and stale buttons; the calendar file; the waiting list.

mod common;

use std::time::Duration;

use common::{assert_has, count, labels, mediation_fully_booked, Phone, TestBot};
use futures::future::join_all;
use okienko::{emulator::ChatMessage, i18n::Lang};
use sqlx::PgPool;

/// Monday 9 November 2026, 9:00: 11 November (a Wednesday, a legal-aid day) and the third Monday
/// (16 November) are inside the four-week horizon.
const NOV_9: &str = "2026-11-09T09:00:00+01:00";

/// The whole flow from a typed wish to the summary; returns the summary.
async fn up_to_summary(
    bot: &TestBot,
    phone: &mut Phone,
    wish: &str,
    day: &str,
    time: &str,
    name: &str,
    number: &str,
) -> ChatMessage {
    phone.say(wish).await;
    phone.press(day).await;
    phone.press(time).await;
    phone.say(name).await;
    bot.client
        .send_contact(&phone.user, number)
        .await
        .expect("contact shared");
    let thanks = phone.next_message().await;
    assert!(
        thanks.reply_keyboard == Some(Vec::new()),
        "the phone keyboard is removed"
    );
    phone.next_message().await
}

#[sqlx::test]
async fn legal_aid_is_booked_listed_moved_and_cancelled_in_polish(pool: PgPool) {
    let bot = TestBot::start_at(pool.clone(), NOV_9).await;
    let mut staff = bot.staff().await;
    let mut anna = bot.phone(11, Some("pl"));

    let days = anna.say("chcę się umówić do prawnika").await;
    assert!(
        days.text.starts_with("Pomoc prawna: wybierz dzień."),
        "{}",
        days.text
    );
    let day_labels = labels(&days);
    assert_eq!(
        &day_labels[..4],
        ["pon 9.11", "pon 16.11", "śr 18.11", "pon 23.11"],
        "11.11 is a holiday"
    );
    assert!(!day_labels.iter().any(|l| l.contains("11.11")));
    assert_eq!(
        &day_labels[day_labels.len() - 2..],
        ["⬅️ Wstecz", "❌ Anuluj"]
    );

    let times = anna.press("pon 16.11").await;
    assert_eq!(
        labels(&times),
        [
            "13:00",
            "13:30",
            "14:00",
            "14:30",
            "15:00",
            "15:30",
            "16:00",
            "16:30",
            "⬅️ Wstecz",
            "❌ Anuluj"
        ]
    );
    let ask_name = anna.press("13:00").await;
    assert_has(
        &ask_name.text,
        &[
            "poniedziałek 16.11, godz. 13:00–13:30",
            "imię i nazwisko",
            "/privacy",
        ],
    );
    // Digits typed as a name: told why, with Back to the times and Cancel.
    let digits = anna.say("12345").await;
    assert_eq!(digits.text, bot.text(Lang::Pl, "book-bad-name-digits"));
    assert_eq!(labels(&digits), ["⬅️ Wstecz", "❌ Anuluj"]);
    let long = anna.say(&"Anna Kowalska ".repeat(25)).await;
    assert_has(&long.text, &["najwyżej 80 znaków"]);
    assert_eq!(
        anna.say("nie wiem").await.text,
        bot.text(Lang::Pl, "book-bad-name")
    );
    let ask_phone = anna.say("Anna Kowalska").await;
    let share = ask_phone.reply_keyboard.clone().expect("a reply keyboard");
    assert!(
        share[0][0].request_contact,
        "the first button shares the contact"
    );
    assert_eq!(
        anna.say("zadzwońcie do mnie").await.text,
        bot.text(Lang::Pl, "book-bad-phone")
    );
    bot.client
        .send_contact(&anna.user, "+48600100200")
        .await
        .expect("shared");
    assert_eq!(anna.next_message().await.text, "Dziękuję.");
    let summary = anna.next_message().await;
    assert_has(
        &summary.text,
        &[
            "Punkt nieodpłatnej pomocy prawnej oraz edukacji prawnej",
            "🗓 poniedziałek 16.11, godz. 13:00–13:30",
            "🏢 Centrum Pracy Socjalnej, ul. Kasprowicza 2, 41-503 Chorzów",
            "👤 Anna Kowalska, tel. +48 600 100 200",
            "Zabierz: dokument tożsamości",
            "oświadczenie",
        ],
    );
    assert_eq!(
        count(&pool, "select count(*) from booking").await,
        0,
        "nothing is booked before confirming"
    );

    let confirmed = anna.press("✅ Potwierdzam").await;
    assert_has(
        &confirmed.text,
        &[
            "✅ Umówione: Punkt nieodpłatnej pomocy prawnej",
            "🗓 poniedziałek 16.11, godz. 13:00–13:30",
            "Zabierz: dokument tożsamości",
        ],
    );
    let calendar = anna.next_message().await;
    assert_eq!(
        calendar.document.as_ref().map(|(name, _)| name.as_str()),
        Some("wizyta.ics")
    );
    let notice = staff.next_message().await;
    assert_eq!(notice.text, "🆕 Nowa wizyta: Pomoc prawna, poniedziałek 16.11, godz. 13:00–13:30. Anna Kowalska, tel. +48 600 100 200.");

    anna.say("/start").await;
    let visits = anna.press("🗓 Moje wizyty").await;
    assert_has(
        &visits.text,
        &[
            "Twoje wizyty (1 wizyta):",
            "• Pomoc prawna: poniedziałek 16.11, godz. 13:00–13:30",
        ],
    );

    // Move to Wednesday 18th, 14:00: the new slot is held before the old one is released.
    anna.press("🔁 Przełóż: pon 16.11 13:00").await;
    anna.press("śr 18.11").await;
    let ask = anna.press("14:00").await;
    assert_has(
        &ask.text,
        &["Teraz: poniedziałek 16.11, godz. 13:00–13:30\nNowy termin: środa 18.11, godz. 14:00–14:30"],
    );
    let moved = anna.press("✅ Potwierdzam").await;
    assert_has(
        &moved.text,
        &[
            "✅ Przełożone: Punkt nieodpłatnej pomocy prawnej",
            "🗓 środa 18.11, godz. 14:00–14:30",
        ],
    );
    anna.next_message().await;
    assert_eq!(
        staff.next_message().await.text,
        "🔁 Przełożona wizyta: Pomoc prawna. Było: poniedziałek 16.11, godz. 13:00–13:30; teraz: środa 18.11, godz. 14:00–14:30. Anna Kowalska, tel. +48 600 100 200."
    );
    let rows: Vec<(String, Option<String>)> =
        sqlx::query_as("select status, calendar_uid from booking order by id")
            .fetch_all(&pool)
            .await
            .expect("rows");
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].0, "cancelled");
    assert_eq!(rows[1].0, "active");
    assert_eq!(
        rows[1].1.as_deref(),
        Some("booking-1@okienko"),
        "the calendar entry keeps its UID"
    );

    // Cancel, with a confirm step.
    anna.say("/start").await;
    anna.press("🗓 Moje wizyty").await;
    let ask = anna.press("❌ Odwołaj: śr 18.11 14:00").await;
    assert_eq!(
        ask.text,
        "Odwołać wizytę: Pomoc prawna, środa 18.11, godz. 14:00–14:30?"
    );
    let done = anna.press("Tak, odwołaj").await;
    assert_eq!(
        done.text,
        "Wizyta odwołana: Pomoc prawna, środa 18.11, godz. 14:00–14:30."
    );
    // A calendar file that takes the entry (same UID, higher SEQUENCE) off the phone's calendar.
    let removal = anna.next_message().await;
    assert_eq!(
        removal.document.as_ref().map(|(name, _)| name.as_str()),
        Some("wizyta-odwolana.ics")
    );
    let ics = bot
        .client
        .file(anna.chat_id(), removal.message_id)
        .await
        .expect("the file");
    let ics = String::from_utf8(ics).expect("text");
    assert_has(
        &ics,
        &[
            "METHOD:CANCEL",
            "UID:booking-1@okienko",
            "SEQUENCE:3",
            "STATUS:CANCELLED",
        ],
    );
    assert_eq!(staff.next_message().await.text, "❌ Odwołana wizyta: Pomoc prawna, środa 18.11, godz. 14:00–14:30. Anna Kowalska, tel. +48 600 100 200.");
    assert_eq!(
        count(
            &pool,
            "select count(*) from booking where status = 'active'"
        )
        .await,
        0
    );
    anna.say("/start").await;
    assert_eq!(
        anna.press("🗓 Moje wizyty").await.text,
        bot.text(Lang::Pl, "visits-none")
    );
    bot.assert_no_locale_problems();
}

#[sqlx::test]
async fn mediation_is_booked_in_english_on_the_third_monday_only(pool: PgPool) {
    let bot = TestBot::start_at(pool.clone(), NOV_9).await;
    let mut john = bot.phone(21, Some("en"));
    let services = john.say("I want to book an appointment").await;
    assert_eq!(services.text, "Which point would you like to book?");
    let days = john.press("Family mediation").await;
    assert_eq!(
        labels(&days),
        ["Mon 16 Nov", "⬅️ Back", "❌ Cancel"],
        "one third Monday in the horizon"
    );
    let times = john.press("Mon 16 Nov").await;
    assert_eq!(
        labels(&times),
        ["13:00", "14:00", "15:00", "⬅️ Back", "❌ Cancel"]
    );
    john.press("14:00").await;
    john.say("John Smith").await;
    assert_eq!(john.say("+49 30 1234567").await.text, "Thank you.");
    let summary = john.next_message().await;
    assert_has(
        &summary.text,
        &[
            "Family mediation point",
            "🗓 Monday 16 Nov, 14:00–15:00",
            "👤 John Smith, phone +49301234567",
        ],
    );
    let confirmed = john.press("✅ Confirm").await;
    assert_has(
        &confirmed.text,
        &[
            "✅ Booked: Family mediation point",
            "🗓 Monday 16 Nov, 14:00–15:00",
        ],
    );
    assert_eq!(
        john.next_message().await.document.map(|(name, _)| name),
        Some("visit.ics".to_owned())
    );

    // One upcoming visit per service: a second try shows the one there is.
    let again = john.say("book mediation").await;
    assert_has(&again.text, &["You already have a visit booked at this point: Family mediation, Monday 16 Nov, 14:00–15:00."]);
    assert_eq!(
        labels(&again),
        [
            "🔁 Move: Mon 16 Nov 14:00",
            "❌ Cancel: Mon 16 Nov 14:00",
            "⬅️ Main menu"
        ]
    );

    // Move within the day, then cancel, in English.
    john.press("🔁 Move: Mon 16 Nov 14:00").await;
    john.press("Mon 16 Nov").await;
    john.press("15:00").await;
    assert_has(
        &john.press("✅ Confirm").await.text,
        &[
            "✅ Moved: Family mediation point",
            "Monday 16 Nov, 15:00–16:00",
        ],
    );
    john.next_message().await;
    john.say("/start").await;
    let visits = john.press("🗓 My visits").await;
    assert_has(
        &visits.text,
        &[
            "Your visits (1 visit):",
            "• Family mediation: Monday 16 Nov, 15:00–16:00",
        ],
    );
    john.press("❌ Cancel: Mon 16 Nov 15:00").await;
    assert_eq!(
        john.press("Yes, cancel it").await.text,
        "Visit cancelled: Family mediation, Monday 16 Nov, 15:00–16:00."
    );
    assert_eq!(
        count(
            &pool,
            "select count(*) from booking where status = 'active'"
        )
        .await,
        0
    );
    bot.assert_no_locale_problems();
}

#[sqlx::test]
async fn easter_monday_and_the_minimum_notice_have_no_slots(pool: PgPool) {
    // Monday 22 March 2027, 12:29: Easter Monday (29 March) is in the horizon; today's slots
    // before 14:30 are inside the two-hour notice.
    let bot = TestBot::start_at(pool, "2027-03-22T12:29:00+01:00").await;
    let mut en = bot.phone(31, Some("en"));
    en.say("/start").await;
    en.press("📅 Book a visit").await;
    let days = en.press("Legal aid").await;
    let days = labels(&days);
    assert_eq!(
        &days[..3],
        ["Mon 22 Mar", "Wed 24 Mar", "Wed 31 Mar"],
        "{days:?}"
    );
    assert!(!days.iter().any(|d| d.contains("29 Mar")), "{days:?}");
    let times = en.press("Mon 22 Mar").await;
    assert_eq!(
        labels(&times),
        [
            "14:30",
            "15:00",
            "15:30",
            "16:00",
            "16:30",
            "⬅️ Back",
            "❌ Cancel"
        ]
    );
    // Back leads to the days, Cancel saves nothing.
    assert!(en
        .press("⬅️ Back")
        .await
        .text
        .starts_with("Legal aid: choose a day."));
    assert_eq!(
        en.press("❌ Cancel").await.text,
        "Nothing was saved. You can come back to booking at any time."
    );
}

#[sqlx::test]
async fn fifty_people_pressing_for_one_slot_get_it_once(pool: PgPool) {
    let bot = TestBot::start_at(pool.clone(), NOV_9).await;
    let mut phones: Vec<Phone> = (0..50)
        .map(|i| bot.phone(1000 + i, Some(if i % 2 == 0 { "pl" } else { "en" })))
        .collect();
    // Everyone reaches the summary of Monday 16 November, 13:00.
    join_all(phones.iter_mut().enumerate().map(|(i, phone)| {
        let bot = &bot;
        async move {
            let (wish, day, name) = if i % 2 == 0 {
                (
                    "chcę się umówić do prawnika",
                    "pon 16.11",
                    format!("Osoba Numer{}", "a".repeat(i % 5 + 1)),
                )
            } else {
                (
                    "book a lawyer",
                    "Mon 16 Nov",
                    format!("Person Number{}", "a".repeat(i % 5 + 1)),
                )
            };
            let summary = up_to_summary(
                bot,
                phone,
                wish,
                day,
                "13:00",
                &name,
                &format!("600 100 {:03}", i),
            )
            .await;
            assert!(summary.text.contains("13:00–13:30"), "{}", summary.text);
        }
    }))
    .await;
    // And all press Confirm at the same instant.
    let (won, lost) = join_all(phones.iter_mut().enumerate().map(|(i, phone)| {
        let label = if i % 2 == 0 {
            "✅ Potwierdzam"
        } else {
            "✅ Confirm"
        };
        async move { phone.press(label).await }
    }))
    .await
    .into_iter()
    .enumerate()
    .fold((0, 0), |(won, lost), (i, reply)| {
        let lang = if i % 2 == 0 { Lang::Pl } else { Lang::En };
        if reply.text.starts_with("✅") {
            (won + 1, lost)
        } else {
            assert_eq!(
                reply.text,
                bot.text(lang, "book-slot-gone"),
                "a clear reply"
            );
            let alternatives = labels(&reply);
            assert!(
                alternatives.len() >= 4,
                "nearest free slots offered: {alternatives:?}"
            );
            assert!(
                !alternatives
                    .iter()
                    .any(|a| a.ends_with("16.11 13:00") || a.ends_with("16 Nov 13:00")),
                "{alternatives:?}"
            );
            (won, lost + 1)
        }
    });
    assert_eq!(
        (won, lost),
        (1, 49),
        "one confirmation, forty-nine clear refusals"
    );
    assert_eq!(
        count(&pool, "select count(*) from booking").await,
        1,
        "exactly one booking, nothing else"
    );
    assert_eq!(count(&pool, "select count(*) from booking where status = 'active' and slot_start = '2026-11-16T12:00:00Z'").await, 1);
}

#[sqlx::test]
async fn forged_stale_and_foreign_buttons_change_nothing(pool: PgPool) {
    let bot = TestBot::start_at(pool.clone(), NOV_9).await;
    let mut anna = bot.phone(41, Some("pl"));
    up_to_summary(
        &bot,
        &mut anna,
        "umów mnie do prawnika",
        "pon 16.11",
        "13:00",
        "Anna Nowak",
        "600100200",
    )
    .await;
    anna.press("✅ Potwierdzam").await;
    anna.next_message().await;
    let id: i64 = count(&pool, "select id from booking").await;
    // A visit in the past, of another person.
    sqlx::query(
        "insert into booking (service_key, slot_start, slot_end, seat, telegram_id, chat_id, name, phone, language, status, created_at)
         values ('legal-aid', '2026-11-02T12:00:00Z', '2026-11-02T12:30:00Z', 1, 42, 42, 'Ewa', '+48600100201', 'pl', 'active', now())",
    )
    .execute(&pool)
    .await
    .expect("past visit");
    let before: Vec<(i64, String, chrono::DateTime<chrono::Utc>)> =
        sqlx::query_as("select id, status, slot_start from booking order by id")
            .fetch_all(&pool)
            .await
            .expect("rows");

    let mut eve = bot.phone(42, Some("pl"));
    let menu = eve.say("/start").await;
    let holiday = chrono::DateTime::parse_from_rfc3339("2026-11-11T13:00:00+01:00")
        .expect("t")
        .timestamp();
    let past = chrono::DateTime::parse_from_rfc3339("2026-11-02T13:00:00+01:00")
        .expect("t")
        .timestamp();
    let forged = [
        (format!("vc:{id}"), "visit-gone"),
        (format!("vy:{id}"), "visit-gone"),
        (format!("vm:{id}"), "visit-gone"),
        (format!("mc:{id}:{holiday}"), "visit-gone"),
        (format!("ot:{id}"), "offer-gone"),
        (format!("bt:legal-aid:{holiday}"), "book-slot-gone"),
        (format!("bt:legal-aid:{past}"), "book-slot-gone"),
        (format!("bt:library:{holiday}"), "visit-gone"),
        ("bc".to_owned(), "visit-gone"),
        ("vy:99999".to_owned(), "visit-gone"),
    ];
    for (data, expected) in forged {
        eve.press_data(menu.message_id, &data).await;
        let reply = eve.next_message().await;
        assert_eq!(reply.text, bot.text(Lang::Pl, expected), "after {data}");
    }
    // Her own past visit: the buttons of it say that it has taken place.
    for data in ["vy:2", "vm:2"] {
        eve.press_data(menu.message_id, data).await;
        let reply = eve.next_message().await;
        assert_eq!(
            reply.text,
            "Ta wizyta już się odbyła: Pomoc prawna, poniedziałek 2.11, godz. 13:00–13:30.",
            "after {data}"
        );
    }
    for garbage in [
        "vy:-1",
        "vy:abc",
        "bt:legal-aid:",
        "mc:1",
        "bd:legal-aid:2026-11-16",
    ] {
        eve.press_data(menu.message_id, garbage).await;
        assert_eq!(
            eve.next_message().await.text,
            bot.text(Lang::Pl, "button-stale"),
            "after {garbage}"
        );
    }
    let after: Vec<(i64, String, chrono::DateTime<chrono::Utc>)> =
        sqlx::query_as("select id, status, slot_start from booking order by id")
            .fetch_all(&pool)
            .await
            .expect("rows");
    assert_eq!(before, after, "nothing changed");
}

#[sqlx::test]
async fn the_calendar_file_parses_as_icalendar(pool: PgPool) {
    let bot = TestBot::start_at(pool, NOV_9).await;
    let mut anna = bot.phone(51, Some("pl"));
    up_to_summary(
        &bot,
        &mut anna,
        "chcę się umówić do prawnika",
        "pon 16.11",
        "13:30",
        "Anna Kowalska",
        "600100200",
    )
    .await;
    anna.press("✅ Potwierdzam").await;
    let file = anna.next_message().await;
    let bytes = bot
        .client
        .file(anna.chat_id(), file.message_id)
        .await
        .expect("the file");
    let text = String::from_utf8(bytes).expect("UTF-8");
    assert!(text.lines().all(|l| l.len() <= 75), "folded at 75 octets");
    assert!(text.contains("\r\n"), "CRLF line ends");
    let unfolded = icalendar::parser::unfold(&text);
    let calendar = icalendar::parser::read_calendar(&unfolded).expect("a standard parser reads it");
    let event = calendar
        .components
        .iter()
        .find(|c| c.name == "VEVENT")
        .expect("an event");
    let property = |name: &str| {
        event
            .properties
            .iter()
            .find(|p| p.name == name)
            .unwrap_or_else(|| panic!("{name}"))
    };
    assert_eq!(property("DTSTART").val.as_str(), "20261116T133000");
    assert_eq!(
        property("DTSTART")
            .params
            .iter()
            .find(|p| p.key == "TZID")
            .and_then(|p| p.val.as_ref())
            .map(|v| v.as_str()),
        Some("Europe/Warsaw")
    );
    assert_eq!(property("DTEND").val.as_str(), "20261116T140000");
    assert_eq!(property("UID").val.as_str(), "booking-1@okienko");
    assert_eq!(
        property("SUMMARY").val.as_str(),
        "Punkt nieodpłatnej pomocy prawnej oraz edukacji prawnej"
    );
    assert!(property("LOCATION")
        .val
        .as_str()
        .contains("ul. Kasprowicza 2"));
    assert!(
        calendar.components.iter().any(|c| c.name == "VTIMEZONE"),
        "the zone's rules are included"
    );
}

#[sqlx::test]
async fn a_freed_slot_goes_to_the_waiting_list_in_order(pool: PgPool) {
    // Mediation has three slots in the horizon; three people hold them.
    mediation_fully_booked(&pool).await;
    let bot = TestBot::start_at(pool.clone(), NOV_9).await;
    let mut first = bot.phone(61, Some("pl"));
    let none = first.say("umów mediacje").await;
    assert_has(
        &none.text,
        &[
            "Mediacje rodzinne: w najbliższych 28 dniach nie ma wolnych terminów.",
            "listę oczekujących",
        ],
    );
    first.press("📝 Zapisz mnie na listę").await;
    first.say("Pierwsza Osoba").await;
    first.say("600 200 300").await;
    assert_has(
        &first.next_message().await.text,
        &[
            "Jesteś na liście oczekujących: Mediacje rodzinne.",
            "30 minut",
        ],
    );
    let mut second = bot.phone(62, Some("en"));
    second.say("book mediation").await;
    second.press("📝 Put me on the list").await;
    second.say("Second Person").await;
    second.say("600 200 301").await;
    assert_has(
        &second.next_message().await.text,
        &["You are on the waiting list: Family mediation."],
    );

    // Person 1 cancels 13:00: the first on the list is offered it and takes it.
    let mut one = bot.phone(1, Some("pl"));
    one.say("/start").await;
    one.press("🗓 Moje wizyty").await;
    one.press("❌ Odwołaj: pon 16.11 13:00").await;
    one.press("Tak, odwołaj").await;
    let offer = first.next_message().await;
    assert_has(&offer.text, &["Zwolnił się termin: Punkt ds. mediacji rodzinnych, poniedziałek 16.11, godz. 13:00–14:00.", "do 9:30"]);
    let taken = first.press("✅ Biorę").await;
    assert_has(
        &taken.text,
        &[
            "✅ Umówione: Punkt ds. mediacji rodzinnych",
            "poniedziałek 16.11, godz. 13:00–14:00",
        ],
    );
    assert_eq!(
        count(
            &pool,
            "select count(*) from booking where telegram_id = 61 and status = 'active'"
        )
        .await,
        1
    );

    // Person 2 cancels 14:00: the second is offered it, lets the time pass, and the slot is freed;
    // they keep their place on the list.
    let mut two = bot.phone(2, Some("pl"));
    two.say("/start").await;
    two.press("🗓 Moje wizyty").await;
    two.press("❌ Odwołaj: pon 16.11 14:00").await;
    two.press("Tak, odwołaj").await;
    let offer = second.next_message().await;
    assert_has(
        &offer.text,
        &["A slot has freed up: Family mediation point, Monday 16 Nov, 14:00–15:00."],
    );
    // The bot's clock is at 9 November: the offer's deadline goes before it.
    sqlx::query("update booking set held_until = '2026-11-09T07:00:00Z' where status = 'held'")
        .execute(&pool)
        .await
        .expect("time passes");
    let expired = second.next_message().await;
    assert_has(
        &expired.text,
        &[
            "The time to take the slot Family mediation, Monday 16 Nov, 14:00–15:00 has passed",
            "You are still on the waiting list",
        ],
    );
    // The stale offer's button now changes nothing.
    let stale_offer = offer.message_id;
    let held_id: i64 = count(&pool, "select id from booking where status = 'expired'").await;
    second
        .press_data(stale_offer, &format!("ot:{held_id}"))
        .await;
    assert_eq!(
        second.next_message().await.text,
        bot.text(Lang::En, "offer-gone")
    );
    second.expect_silence(Duration::from_millis(800)).await;
    assert_eq!(
        count(
            &pool,
            "select count(*) from booking where status in ('active', 'held')"
        )
        .await,
        2
    );
    assert_eq!(
        count(
            &pool,
            "select count(*) from waiting where telegram_id = 62 and status = 'waiting'"
        )
        .await,
        1
    );
}

/// Up to the name step of legal aid on Monday 16 November, 13:00.
async fn up_to_name(phone: &mut Phone) {
    phone.say("chcę się umówić do prawnika").await;
    phone.press("pon 16.11").await;
    assert_has(&phone.press("13:00").await.text, &["imię i nazwisko"]);
}

#[sqlx::test]
async fn a_busy_database_is_waited_for_and_a_name_stays_a_name(pool: PgPool) {
    let bot = TestBot::start_at(pool.clone(), NOV_9).await;
    let mut anna = bot.phone(11, Some("pl"));
    up_to_name(&mut anna).await;
    // Every connection of the bot's pool is busy for five seconds (as under a Monday's load).
    let bot_pool = bot.services.pool.clone();
    let mut held = Vec::new();
    while let Ok(Ok(connection)) =
        tokio::time::timeout(Duration::from_millis(300), bot_pool.acquire()).await
    {
        held.push(connection);
    }
    assert!(!held.is_empty(), "the pool's connections are held");
    let release = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_secs(5)).await;
        drop(held);
    });
    // The name is typed meanwhile: the bot waits for its records, and takes it as the name.
    assert_eq!(
        anna.ask("Anna Kowalska").await,
        bot.text(Lang::Pl, "book-ask-phone")
    );
    release.await.expect("released");
}

#[sqlx::test]
async fn with_the_database_gone_a_typed_name_is_not_taken_for_a_question(pool: PgPool) {
    let bot = TestBot::start_at(pool.clone(), NOV_9).await;
    let mut anna = bot.phone(11, Some("pl"));
    up_to_name(&mut anna).await;
    bot.services.pool.close().await;
    // The bot cannot know that a booking waits for this name: it says so, and takes nothing.
    let unavailable = bot.text(Lang::Pl, "database-unavailable");
    assert_eq!(anna.ask("Anna Kowalska").await, unavailable);
    bot.client
        .send_contact(&anna.user, "+48600100200")
        .await
        .expect("contact shared");
    assert_eq!(anna.next_message().await.text, unavailable);
    // The booking buttons wait too; questions are still answered.
    assert_eq!(anna.press("13:30").await.text, unavailable);
    assert_has(
        &anna.ask("gdzie jest cps").await,
        &["ul. Kasprowicza 2, 41-503 Chorzów"],
    );
    assert_eq!(
        count(&pool, "select count(*) from booking").await,
        0,
        "nothing was booked"
    );
    bot.assert_no_locale_problems();
}

#[sqlx::test]
async fn a_stored_value_that_does_not_read_is_an_error_not_a_default(pool: PgPool) {
    let id: i64 = sqlx::query_scalar(
        "insert into booking (service_key, slot_start, slot_end, seat, telegram_id, chat_id, name, phone, language, status, created_at)
         values ('legal-aid', '2026-11-16T12:00:00Z', '2026-11-16T12:30:00Z', 1, 5, 5, '1234', '+48600100200', 'en', 'active', now())
         returning id",
    )
    .fetch_one(&pool)
    .await
    .expect("stored");
    let read = okienko::db::booking::get(&pool, id).await;
    let error = read.expect_err("a name that does not parse is not read as one");
    assert!(error.to_string().contains("name"), "{error}");
    // The person is told something went wrong, not shown a visit under a name that is not one.
    let bot = TestBot::start_at(pool.clone(), NOV_9).await;
    let mut person = bot.phone(5, Some("en"));
    person.say("/start").await;
    assert_eq!(
        person.press("🗓 My visits").await.text,
        bot.text(Lang::En, "error-apology")
    );
}

#[sqlx::test]
async fn a_question_or_a_word_of_the_buttons_at_the_name_step_is_not_taken_as_a_name(pool: PgPool) {
    let bot = TestBot::start_at(pool.clone(), NOV_9).await;
    let mut anna = bot.phone(11, Some("pl"));
    up_to_name(&mut anna).await;
    let waiting = "Czekam jeszcze na imię i nazwisko do zapisu: Pomoc prawna.";
    // A question is answered, and the step says it still waits.
    assert_has(
        &anna.ask("kiedy jest prawnik").await,
        &["Punkt nieodpłatnej pomocy prawnej"],
    );
    assert_has(&anna.next_message().await.text, &[waiting]);
    // A question that names no place is about the place being booked.
    assert_has(
        &anna.ask("a gdzie to jest?").await,
        &[
            "Punkt nieodpłatnej pomocy prawnej",
            "ul. Kasprowicza 2, 41-503 Chorzów",
        ],
    );
    assert_has(&anna.next_message().await.text, &[waiting]);
    assert_has(
        &anna.ask("a ile to kosztuje?").await,
        &["Punkt nieodpłatnej pomocy prawnej"],
    );
    assert_has(&anna.next_message().await.text, &[waiting]);
    // A reply that is never a name is asked for again.
    assert_eq!(
        anna.ask("nie wiem").await,
        bot.text(Lang::Pl, "book-bad-name")
    );
    // Cancel typed as a word leaves the flow, as the button does.
    assert_eq!(anna.ask("anuluj").await, bot.text(Lang::Pl, "book-aborted"));
    anna.next_message().await;
    up_to_name(&mut anna).await;
    assert_eq!(
        anna.ask("Anna Kowalska").await,
        bot.text(Lang::Pl, "book-ask-phone")
    );
    assert_eq!(
        count(
            &pool,
            "select count(*) from dialogue where state->>'name' = 'Anna Kowalska'"
        )
        .await,
        1,
        "only the real name was kept"
    );
}

#[sqlx::test]
async fn my_visits_are_reached_by_typing_in_plain_words(pool: PgPool) {
    sqlx::query(
        "insert into booking (service_key, slot_start, slot_end, seat, telegram_id, chat_id, name, phone, language, status, created_at)
         values ('legal-aid', '2026-11-16T12:00:00Z', '2026-11-16T12:30:00Z', 1, 21, 21, 'Anna Kowalska', '+48600100200', 'pl', 'active', now()),
                ('legal-aid', '2026-11-16T12:30:00Z', '2026-11-16T13:00:00Z', 1, 22, 22, 'Olena Koval', '+48600100201', 'en', 'active', now())",
    )
    .execute(&pool)
    .await
    .expect("booked");
    let bot = TestBot::start_at(pool.clone(), NOV_9).await;
    let mut anna = bot.phone(21, Some("pl"));
    for text in ["moje wizyty", "kiedy mam wizyte"] {
        let visits = anna.say(text).await;
        assert_has(&visits.text, &["poniedziałek 16.11, godz. 13:00–13:30"]);
        assert!(
            labels(&visits).contains(&"❌ Odwołaj: pon 16.11 13:00".to_owned()),
            "{text}: {:?}",
            labels(&visits)
        );
    }
    // With one visit ahead, cancelling or moving it by words goes to that step at once.
    let cancel = anna.say("odwolaj wizyte").await;
    assert_eq!(
        cancel.text,
        "Odwołać wizytę: Pomoc prawna, poniedziałek 16.11, godz. 13:00–13:30?"
    );
    assert_eq!(anna.ask("nie").await, bot.text(Lang::Pl, "step-kept"));
    for text in ["przeloz wizyte", "chce zmienic termin"] {
        let days = anna.say(text).await;
        assert_has(
            &days.text,
            &[
                "Przekładasz wizytę",
                "poniedziałek 16.11, godz. 13:00–13:30",
            ],
        );
    }
    let times = anna.say("przeloz na srode").await;
    assert!(
        times.text.starts_with("Pomoc prawna, śr 18.11"),
        "{}",
        times.text
    );
    let mut olena = bot.phone(22, Some("en"));
    for text in [
        "my visits",
        "cancel my appointment",
        "reschedule",
        "when is my appointment",
    ] {
        let visits = olena.say(text).await;
        assert_has(&visits.text, &["Monday 16 Nov, 13:30–14:00"]);
        olena.say("/start").await;
    }
    assert_eq!(
        count(
            &pool,
            "select count(*) from booking where status = 'active'"
        )
        .await,
        2,
        "typing changed nothing"
    );
}

/// A resident whose Telegram speaks Ukrainian: everything in Ukrainian, from the greeting to the
/// reminder, a move and a cancellation; questions typed in Ukrainian on the way are understood.
#[sqlx::test]
async fn a_ukrainian_resident_books_is_reminded_moves_and_cancels(pool: PgPool) {
    // Sunday 15 November, 45 seconds before the 24-hour reminder of a Monday 13:00 visit: room
    // for the booking below on a loaded machine (booked after 13:00, the reminder would be past
    // and rightly not sent), and the reminder is waited for until it is due.
    let bot = TestBot::start_at(pool.clone(), "2026-11-15T12:59:15+01:00").await;
    let mut olena = bot.phone(81, Some("uk"));
    let uk = |id: &str| bot.text(Lang::Uk, id);

    let start = olena.say("/start").await;
    assert_eq!(start.text, uk("start-greeting"));
    assert!(
        labels(&start).contains(&uk("menu-visits")),
        "{:?}",
        labels(&start)
    );

    assert_has(
        &olena.ask("Мені потрібна допомога").await,
        &[&uk("need-title"), "Centrum Pracy Socjalnej"],
    );
    assert_has(
        &olena.ask("Где находится центр?").await,
        &["ul. Kasprowicza 2, 41-503 Chorzów"],
    );
    let lawyer = olena.ask("Коли працює юрист?").await;
    assert_has(&lawyer, &["Звичайний графік:", "13:00–17:00"]);

    let days = olena.say("Хочу записатися до юриста").await;
    assert_has(&days.text, &["оберіть день"]);
    let monday = labels(&days)[0].clone();
    assert_eq!(monday, "пн 16.11");
    let times = olena.press(&monday).await;
    assert_has(&times.text, &["оберіть час"]);
    let ask_name = olena.press("13:00").await;
    assert_has(
        &ask_name.text,
        &["понеділок 16.11, 13:00–13:30", "ім'я та прізвище"],
    );
    let ask_phone = olena.say("Олена Коваленко").await;
    assert_eq!(ask_phone.text, uk("book-ask-phone"));
    bot.client
        .send_contact(&olena.user, "+48600100200")
        .await
        .expect("shared");
    assert_eq!(olena.next_message().await.text, "Дякую.");
    let summary = olena.next_message().await;
    assert_has(
        &summary.text,
        &[
            "Перевірте, будь ласка:",
            "🗓 понеділок 16.11, 13:00–13:30",
            "👤 Олена Коваленко, тел. +48 600 100 200",
            "Візьміть із собою:",
        ],
    );
    let confirmed = olena.press(&uk("book-confirm")).await;
    assert_has(
        &confirmed.text,
        &["✅ Ви записані:", "🗓 понеділок 16.11, 13:00–13:30"],
    );
    let calendar = olena.next_message().await;
    assert_eq!(
        calendar.document.as_ref().map(|(name, _)| name.as_str()),
        Some("pryiom.ics")
    );

    let reminder = olena
        .next_message_within(std::time::Duration::from_secs(90))
        .await;
    assert_has(
        &reminder.text,
        &[
            "⏰ Нагадування про прийом:",
            "🗓 завтра, понеділок 16.11, 13:00–13:30",
        ],
    );
    assert_eq!(
        labels(&reminder),
        [
            uk("reminder-attend"),
            uk("reminder-move"),
            uk("reminder-cancel"),
            uk("reminder-discreet-button")
        ]
    );

    let choose = olena.press(&uk("reminder-move")).await;
    assert_has(
        &choose.text,
        &["Переносимо ваш запис", "Оберіть новий день"],
    );
    let wednesday = labels(&choose)
        .into_iter()
        .find(|l| l.starts_with("ср "))
        .expect("a Wednesday");
    olena.press(&wednesday).await;
    let ask = olena.press("14:00").await;
    assert_has(
        &ask.text,
        &[
            "Зараз: понеділок 16.11, 13:00–13:30",
            "Новий час: середа 18.11, 14:00–14:30",
        ],
    );
    let moved = olena.press(&uk("book-confirm")).await;
    assert_has(
        &moved.text,
        &["✅ Перенесено:", "🗓 середа 18.11, 14:00–14:30"],
    );
    olena.next_message().await; // the calendar file

    let visits = olena.say("Коли мій візит?").await;
    assert_has(
        &visits.text,
        &["Ваші записи (1 запис):", "середа 18.11, 14:00–14:30"],
    );
    let cancel = labels(&visits)
        .into_iter()
        .find(|l| l.starts_with("❌"))
        .expect("a cancel button");
    let ask = olena.press(&cancel).await;
    assert_has(&ask.text, &["Скасувати запис:"]);
    let done = olena.press(&uk("cancel-yes")).await;
    assert_has(
        &done.text,
        &["Запис скасовано:", "середа 18.11, 14:00–14:30"],
    );
    assert_eq!(
        count(
            &pool,
            "select count(*) from booking where status = 'active'"
        )
        .await,
        0
    );
    assert_eq!(
        count(&pool, "select count(*) from booking where language = 'uk'").await,
        2,
        "the first booking and the moved one, both in Ukrainian"
    );
    bot.assert_no_locale_problems();
}

/// A Telegram set to Russian is offered the choice of language; words switch it at any time.
#[sqlx::test]
async fn languages_are_offered_and_switched_by_words(pool: PgPool) {
    let bot = TestBot::start_at(pool.clone(), NOV_9).await;
    let mut ivan = bot.phone(82, Some("ru"));
    let start = ivan.say("/start").await;
    assert_eq!(start.text, bot.text(Lang::En, "start-greeting"));
    let choice = ivan.next_message().await;
    assert_eq!(choice.text, bot.text(Lang::En, "language-choose"));
    assert_eq!(labels(&choice), ["Polski", "English", "Українська"]);
    let set = ivan.press("Українська").await;
    assert_eq!(set.text, bot.text(Lang::Uk, "language-set"));
    let set = ivan.say("english please").await;
    assert_eq!(set.text, bot.text(Lang::En, "language-set"));
    let set = ivan.say("po polsku").await;
    assert_eq!(set.text, bot.text(Lang::Pl, "language-set"));
    let set = ivan.say("українською").await;
    assert_eq!(set.text, bot.text(Lang::Uk, "language-set"));
    let choice = ivan.say("по-русски").await;
    assert_eq!(choice.text, bot.text(Lang::Uk, "language-choose"));
    // A Telegram set to Polish or English is not asked.
    let mut anna = bot.phone(83, Some("pl"));
    anna.say("/start").await;
    anna.expect_silence(Duration::from_millis(500)).await;
    bot.assert_no_locale_problems();
}
