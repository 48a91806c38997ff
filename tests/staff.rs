//! The staff's tools through the emulator: who may use them, the day's agenda, marking who came,
//! and the audit of it.

mod common;

use common::{assert_has, count, labels, Phone, TestBot};
use okienko::{config::StaffId, emulator::ChatMessage, i18n::Lang};
use sqlx::PgPool;

/// Monday 9 November 2026, 9:00.
const NOV_9: &str = "2026-11-09T09:00:00+01:00";
const STAFF: i64 = 7001;

/// Presses `label` on the message `on` (the agenda) and returns that message once the bot has
/// edited it.
async fn press_and_read_edit(
    bot: &TestBot,
    phone: &mut Phone,
    on: &ChatMessage,
    label: &str,
) -> ChatMessage {
    let data = on
        .inline_keyboard
        .iter()
        .flatten()
        .find(|b| b.text == label)
        .and_then(|b| b.callback_data.clone())
        .unwrap_or_else(|| panic!("no button {label:?}"));
    phone.press_data(on.message_id, &data).await;
    let deadline = std::time::Instant::now() + common::PATIENCE;
    loop {
        let chat = bot.client.chat(phone.chat_id()).await.expect("chat");
        if let Some(now) = chat
            .into_iter()
            .find(|m| m.message_id == on.message_id && m.text != on.text)
        {
            return now;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the agenda was not updated"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

/// Monday 16 November 2026, 14:00: the legal-aid visits of 13:00 and 13:30 have taken place.
const NOV_16_AFTERNOON: &str = "2026-11-16T14:00:00+01:00";

/// A legal-aid visit of `user` at `start` (RFC 3339), half an hour, as the booking flow stores it.
async fn seed_visit(pool: &PgPool, user: i64, lang: &str, name: &str, phone: &str, start: &str) {
    let start = chrono::DateTime::parse_from_rfc3339(start).expect("t");
    let end = start + chrono::Duration::minutes(30);
    sqlx::query(
        "insert into booking (service_key, slot_start, slot_end, seat, telegram_id, chat_id, name, phone, language, status, created_at)
         values ('legal-aid', $1, $2, 1, $3, $3, $4, $5, $6, 'active', now())",
    )
    .bind(start)
    .bind(end)
    .bind(user)
    .bind(name)
    .bind(phone)
    .bind(lang)
    .execute(pool)
    .await
    .expect("visit");
}

/// The bot with one member of staff, its clock at `now`.
async fn one_staff_at(pool: PgPool, now: &str) -> TestBot {
    TestBot::start_with(pool, |config| {
        common::at(config, now);
        config.staff_ids = vec![StaffId {
            user: STAFF,
            centre: None,
        }];
    })
    .await
}

/// The bot with one member of staff, for every service.
async fn one_staff(pool: PgPool) -> TestBot {
    staffed(
        pool,
        vec![StaffId {
            user: STAFF,
            centre: None,
        }],
    )
    .await
}

async fn staffed(pool: PgPool, staff: Vec<StaffId>) -> TestBot {
    TestBot::start_with(pool, |config| {
        common::at(config, NOV_9);
        config.staff_ids = staff;
    })
    .await
}

/// A legal-aid visit on Monday 16 November at `time`, booked by `phone` with the buttons.
async fn book(phone: &mut Phone, time: &str, name: &str) {
    phone.say("chcę się umówić do prawnika").await;
    phone.press("pon 16.11").await;
    phone.press(time).await;
    phone.say(name).await;
    phone.say("600 100 200").await;
    phone.next_message().await;
    phone.press("✅ Potwierdzam").await;
    phone.next_message().await;
}

#[sqlx::test]
async fn nobody_else_reaches_the_staff_tools(pool: PgPool) {
    let bot = one_staff(pool.clone()).await;
    let mut anna = bot.phone(11, Some("pl"));
    book(&mut anna, "13:00", "Anna Kowalska").await;
    // Each is answered as the same text after an unknown command would be.
    for (command, unknown) in [
        ("/agenda", "/nope"),
        ("/agenda jutro", "/nope jutro"),
        ("/staff", "/nope"),
        ("/audit", "/nope"),
        ("/announce cas Kurs", "/nope cas Kurs"),
        (
            "/close legal-aid 16.11 urlop",
            "/nope legal-aid 16.11 urlop",
        ),
    ] {
        let expected = anna.ask(unknown).await;
        assert_eq!(anna.ask(command).await, expected, "{command}");
    }
    let menu = anna.say("/start").await;
    let id = count(&pool, "select id from booking").await;
    for forged in [
        "sa:20261116:0".to_owned(),
        format!("sm:{id}:1:0"),
        "su".to_owned(),
        "se".to_owned(),
        "scy".to_owned(),
        "sny".to_owned(),
        "sh".to_owned(),
        format!("sc:{id}:0"),
        format!("sv:{id}"),
    ] {
        anna.press_data(menu.message_id, &forged).await;
        let reply = anna.next_message().await;
        assert_eq!(reply.text, bot.text(Lang::Pl, "button-stale"), "{forged}");
        assert!(!reply.text.contains("Anna Kowalska"));
    }
    assert_eq!(
        count(
            &pool,
            "select count(*) from booking where attended is not null"
        )
        .await,
        0
    );
    assert_eq!(count(&pool, "select count(*) from staff_audit").await, 0);
    assert_eq!(
        count(
            &pool,
            "select count(*) from booking where status = 'active'"
        )
        .await,
        1,
        "the visit stands"
    );
    assert_eq!(count(&pool, "select count(*) from announcement").await, 0);
}

#[sqlx::test]
async fn the_agenda_shows_the_day_and_marks_who_came(pool: PgPool) {
    seed_visit(
        &pool,
        11,
        "pl",
        "Anna Kowalska",
        "+48600100200",
        "2026-11-16T13:00:00+01:00",
    )
    .await;
    seed_visit(
        &pool,
        12,
        "en",
        "Jan Nowak",
        "+48600100201",
        "2026-11-16T13:30:00+01:00",
    )
    .await;
    seed_visit(
        &pool,
        13,
        "pl",
        "Ewa Kot",
        "+48600100202",
        "2026-11-18T13:00:00+01:00",
    )
    .await;
    let bot = one_staff_at(pool.clone(), NOV_16_AFTERNOON).await;

    let mut staff = bot.phone(STAFF, Some("pl"));
    let menu = staff.say("/staff").await;
    assert_eq!(
        labels(&menu),
        [
            "📋 Dzisiejsze wizyty",
            "📋 Jutrzejsze wizyty",
            "📤 Ten miesiąc: CSV",
            "🧾 Ostatnie działania"
        ]
    );
    let agenda = staff.say("/agenda").await;
    assert_has(
        &agenda.text,
        &[
            "📋 Wizyty: pon 16.11 (2), strona 1/1",
            "Pomoc prawna\n13:00 Anna Kowalska, +48 600 100 200\n13:30 Jan Nowak, +48 600 100 201",
        ],
    );
    let marked =
        press_and_read_edit(&bot, &mut staff, &agenda, "✔️ 13:00 Anna przyszedł(-ła)").await;
    assert_has(
        &marked.text,
        &["13:00 Anna Kowalska, +48 600 100 200 · ✔️ przyszła/przyszedł"],
    );
    press_and_read_edit(&bot, &mut staff, &marked, "✖️ 13:30 Jan nie przyszedł(-ła)").await;
    assert_eq!(
        count(&pool, "select count(*) from booking where attended").await,
        1
    );
    assert_eq!(
        count(&pool, "select count(*) from booking where attended = false").await,
        1
    );
    let audit = staff.ask("/audit").await;
    assert_has(&audit, &["7001 · no-show #2", "7001 · came #1"]);
    // Other ways to name the day.
    assert_has(
        &staff.ask("/agenda 2026-11-16").await,
        &["📋 Wizyty: pon 16.11 (2)"],
    );
    assert_has(
        &staff.ask("/agenda jutro").await,
        &["📋 Wizyty: wt 17.11 (0)", "Tego dnia nie ma"],
    );
    // A visit that has not started has no mark buttons, only cancel and move; and a forged mark
    // is refused (a morning misclick is no false no-show).
    let later = staff.say("/agenda 18.11").await;
    assert_eq!(
        labels(&later)[..2],
        ["❌ 13:00 Ewa: odwołaj", "🔁 przełóż"],
        "{later:?}"
    );
    let ewa: i64 = sqlx::query_scalar("select id from booking where name like 'Ewa%'")
        .fetch_one(&pool)
        .await
        .expect("Ewa's visit");
    staff
        .press_data(later.message_id, &format!("sm:{ewa}:0:0"))
        .await;
    assert_eq!(
        staff.next_message().await.text,
        bot.text(Lang::Pl, "staff-visit-gone")
    );
    assert_eq!(
        count(
            &pool,
            "select count(*) from booking where attended is not null"
        )
        .await,
        2
    );
    assert_eq!(
        staff.ask("/agenda kiedyś").await,
        bot.text(Lang::Pl, "staff-bad-day")
    );
    bot.assert_no_locale_problems();
}

#[sqlx::test]
async fn staff_limited_to_a_centre_see_only_its_services(pool: PgPool) {
    let bot = staffed(
        pool.clone(),
        vec![StaffId {
            user: STAFF,
            centre: Some("cas".into()),
        }],
    )
    .await;
    let mut anna = bot.phone(11, Some("pl"));
    book(&mut anna, "13:00", "Anna Kowalska").await;
    let mut staff = bot.phone(STAFF, Some("pl"));
    let agenda = staff.ask("/agenda 16.11").await;
    assert_has(&agenda, &["(0)"]);
    assert!(!agenda.contains("Anna"), "{agenda}");
    let id = count(&pool, "select id from booking").await;
    let menu = staff.say("/staff").await;
    staff
        .press_data(menu.message_id, &format!("sm:{id}:1:0"))
        .await;
    assert_eq!(
        staff.next_message().await.text,
        bot.text(Lang::Pl, "staff-visit-gone")
    );
    assert_eq!(
        count(
            &pool,
            "select count(*) from booking where attended is not null"
        )
        .await,
        0
    );
}

#[sqlx::test]
async fn the_month_is_exported_as_csv_with_polish_letters_and_the_marks(pool: PgPool) {
    seed_visit(
        &pool,
        11,
        "pl",
        "Łucja Żółć-Gęślą",
        "+48600100200",
        "2026-11-16T13:00:00+01:00",
    )
    .await;
    let bot = one_staff_at(pool.clone(), NOV_16_AFTERNOON).await;
    let mut staff = bot.phone(STAFF, Some("pl"));
    let agenda = staff.say("/agenda 16.11").await;
    press_and_read_edit(&bot, &mut staff, &agenda, "✔️ 13:00 Łucja przyszedł(-ła)").await;
    let figures = staff.say("/export 1.11 30.11").await;
    assert_has(
        &figures.text,
        &[
            "📤 Wizyty od nd 1.11 do pon 30.11:",
            "Pomoc prawna: umówione 1 (telefonicznie 0), odwołane przez osobę 0, odwołane przez centrum 0, przyszło 1, nie przyszło 0",
        ],
    );
    let file = staff.next_message().await;
    assert_eq!(
        file.document.as_ref().map(|(name, _)| name.as_str()),
        Some("wizyty-2026-11-01-2026-11-30.csv")
    );
    let bytes = bot
        .client
        .file(staff.chat_id(), file.message_id)
        .await
        .expect("the file");
    assert!(
        bytes.starts_with("\u{feff}".as_bytes()),
        "a byte order mark"
    );
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    let header = reader.headers().expect("a header").clone();
    assert_eq!(&header[5], "name");
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("a row")).collect();
    assert_eq!(rows.len(), 1);
    assert_eq!(&rows[0][1], "2026-11-16");
    assert_eq!(&rows[0][2], "13:00");
    assert_eq!(&rows[0][5], "Łucja Żółć-Gęślą");
    assert_eq!(&rows[0][10], "came");
    // And a calendar file per service, which a standard parser reads.
    let calendar = staff.next_message().await;
    assert_eq!(
        calendar.document.as_ref().map(|(name, _)| name.as_str()),
        Some("wizyty-legal-aid-2026-11-01-2026-11-30.ics")
    );
    let bytes = bot
        .client
        .file(staff.chat_id(), calendar.message_id)
        .await
        .expect("the file");
    let text = String::from_utf8(bytes).expect("UTF-8");
    let unfolded = icalendar::parser::unfold(&text);
    let parsed = icalendar::parser::read_calendar(&unfolded).expect("a standard parser reads it");
    let events: Vec<_> = parsed
        .components
        .iter()
        .filter(|c| c.name == "VEVENT")
        .collect();
    assert_eq!(events.len(), 1);
    let summary = events[0]
        .properties
        .iter()
        .find(|p| p.name == "SUMMARY")
        .map(|p| p.val.to_string())
        .expect("a summary");
    assert_has(&summary, &["Pomoc prawna", "Łucja Żółć-Gęślą"]);
    assert_has(&staff.ask("/audit").await, &["export", "came"]);
    // The same from the staff menu's button: this month.
    staff.say("/staff").await;
    let figures = staff.press("📤 Ten miesiąc: CSV").await;
    assert_has(&figures.text, &["📤 Wizyty od nd 1.11 do pon 30.11:"]);
    let file = staff.next_message().await;
    assert!(file.document.is_some());
    let calendar = staff.next_message().await;
    assert!(calendar.document.is_some());
}

/// The lawyer is ill on Monday 16 November: three people booked that day, in three languages,
/// are told why in their own language, and each can book again from that message.
#[sqlx::test]
async fn a_closure_cancels_the_visits_and_tells_each_person_in_their_language(pool: PgPool) {
    let bot = one_staff(pool.clone()).await;
    let mut anna = bot.phone(11, Some("pl"));
    book(&mut anna, "13:00", "Anna Kowalska").await;
    let mut jan = bot.phone(12, Some("en"));
    jan.say("book legal aid").await;
    jan.press("Mon 16 Nov").await;
    jan.press("13:30").await;
    jan.say("Jan Nowak").await;
    jan.say("600 100 201").await;
    jan.next_message().await;
    jan.press("✅ Confirm").await;
    jan.next_message().await;
    let mut olena = bot.phone(13, Some("uk"));
    olena.say("Хочу записатися до юриста").await;
    olena.press("пн 16.11").await;
    olena.press("14:00").await;
    olena.say("Олена Коваленко").await;
    olena.say("600 100 202").await;
    olena.next_message().await;
    olena.press(&bot.text(Lang::Uk, "book-confirm")).await;
    olena.next_message().await;
    assert_eq!(
        count(
            &pool,
            "select count(*) from booking where status = 'active'"
        )
        .await,
        3
    );

    let mut staff = bot.phone(STAFF, Some("pl"));
    // A range of days is a range ("23.11-24.11", or with spaces around the dash).
    let range = staff.say("/close legal-aid 16.11 - 18.11 urlop").await;
    assert_has(&range.text, &["od pon 16.11 do śr 18.11", "Powód: urlop"]);
    staff.press("Nie").await;
    let range = staff.say("/close cps 16.11-18.11 awaria").await;
    assert_has(&range.text, &["od pon 16.11 do śr 18.11", "Powód: awaria"]);
    staff.press("Nie").await;
    let help = staff.ask("/close").await;
    assert_has(&help, &["/close legal-aid 23.11", "legal-aid", "cps"]);
    let ask = staff.say("/close legal-aid 16.11 choroba prawnika").await;
    assert_has(
        &ask.text,
        &[
            "Zamknąć: Punkt nieodpłatnej pomocy prawnej",
            "od pon 16.11 do pon 16.11",
            "Powód: choroba prawnika",
            "Wizyt w tym czasie: 3",
        ],
    );
    assert_eq!(
        count(&pool, "select count(*) from place_exception").await,
        0
    );
    let done = staff.press("🚫 Tak, zamknij").await;
    assert_has(&done.text, &["Odwołane wizyty: 3"]);
    assert_eq!(
        count(
            &pool,
            "select count(*) from booking where status = 'cancelled' and cancelled_by_staff = 7001"
        )
        .await,
        3
    );
    assert_eq!(
        count(
            &pool,
            "select count(*) from outbox_job where kind = 'reminder' and status = 'pending'"
        )
        .await,
        0,
        "the reminders are withdrawn"
    );

    let told = anna.next_message().await;
    assert_has(
        &told.text,
        &[
            "Twoja wizyta jest odwołana",
            "Powód: choroba prawnika",
            "poniedziałek 16.11, godz. 13:00–13:30",
        ],
    );
    let told_jan = jan.next_message().await;
    assert_has(
        &told_jan.text,
        &[
            "Your visit is cancelled",
            "Reason: choroba prawnika",
            "Monday 16 Nov, 13:30–14:00",
        ],
    );
    let told_olena = olena.next_message().await;
    assert_has(
        &told_olena.text,
        &["Ваш прийом скасовано", "Причина: choroba prawnika"],
    );
    // Each can book again from the message; the closed day is no longer offered.
    let days = anna.press("📅 Wybierz nowy termin").await;
    assert!(
        days.text.starts_with("Pomoc prawna: wybierz dzień."),
        "{}",
        days.text
    );
    assert!(
        !labels(&days).contains(&"pon 16.11".to_owned()),
        "{:?}",
        labels(&days)
    );
    let days = jan.press("📅 Choose a new time").await;
    assert!(!labels(&days).contains(&"Mon 16 Nov".to_owned()));
    let days = olena.press(&bot.text(Lang::Uk, "closure-rebook")).await;
    assert!(!labels(&days).is_empty());
    // The hours say why.
    assert_has(
        &anna.ask("kiedy prawnik").await,
        &["pon 16.11: nieczynne: choroba prawnika"],
    );
    assert_has(&staff.ask("/audit").await, &["close", "legal-aid"]);
    bot.assert_no_locale_problems();
}

#[sqlx::test]
async fn only_staff_close_and_only_what_they_may(pool: PgPool) {
    let bot = staffed(
        pool.clone(),
        vec![StaffId {
            user: STAFF,
            centre: Some("cas".into()),
        }],
    )
    .await;
    let mut staff = bot.phone(STAFF, Some("pl"));
    // Limited to CAS: the legal-aid point of CPS cannot be closed by them.
    assert_has(
        &staff.ask("/close legal-aid 16.11 choroba").await,
        &["Klucze: cas"],
    );
    let mut anna = bot.phone(11, Some("pl"));
    let unknown = anna.ask("/nope legal-aid 16.11 x").await;
    assert_eq!(anna.ask("/close legal-aid 16.11 x").await, unknown);
    let menu = anna.say("/start").await;
    anna.press_data(menu.message_id, "scy").await;
    assert_eq!(
        anna.next_message().await.text,
        bot.text(Lang::Pl, "button-stale")
    );
    assert_eq!(
        count(&pool, "select count(*) from place_exception").await,
        0
    );
}

#[sqlx::test]
async fn a_phone_booking_is_made_marked_and_gets_no_reminders(pool: PgPool) {
    let bot = one_staff(pool.clone()).await;
    let mut staff = bot.phone(STAFF, Some("pl"));
    assert_has(
        &staff.ask("/phone").await,
        &["/phone legal-aid 16.11 13:00"],
    );
    // Without a time it is the help again.
    let done = staff.ask("/phone legal-aid 16.11 Jan Kowalski").await;
    assert_has(&done, &["/phone legal-aid 16.11 13:00"]);
    // The service in words and the number as dictated, with spaces.
    let done = staff
        .ask("/phone prawnik 16.11 13:00 600 100 200 Jan Kowalski")
        .await;
    assert_eq!(
        done,
        "📞 Zapisano telefonicznie: Pomoc prawna, poniedziałek 16.11, godz. 13:00–13:30. Jan Kowalski, tel. +48 600 100 200. Bez przypomnień w Telegramie."
    );
    assert_eq!(
        count(&pool, "select count(*) from booking where source = 'phone' and booked_by_staff = 7001 and status = 'active'").await,
        1
    );
    assert_eq!(
        count(
            &pool,
            "select count(*) from outbox_job where kind = 'reminder'"
        )
        .await,
        0
    );
    // The same number again: one visit per person, as for everyone.
    assert_has(
        &staff
            .ask("/phone legal-aid 18.11 13:00 600100200 Jan Kowalski")
            .await,
        &["Ten numer telefonu ma już wizytę w tym punkcie"],
    );
    // A taken time says which are free.
    assert_has(
        &staff
            .ask("/phone legal-aid 16.11 13:00 600100201 Ewa Nowak")
            .await,
        &["Ten termin nie jest wolny", "13:30, 14:00"],
    );
    assert_has(
        &staff.ask("/agenda 16.11").await,
        &["13:00 Jan Kowalski, +48 600 100 200 · 📞 zapis telefoniczny"],
    );
    // A resident no longer gets 13:00.
    let mut anna = bot.phone(11, Some("pl"));
    anna.say("chcę się umówić do prawnika").await;
    let times = anna.press("pon 16.11").await;
    assert!(
        !labels(&times).contains(&"13:00".to_owned()),
        "{:?}",
        labels(&times)
    );
    // A closure lists the phone booking for the staff to call, and messages nobody for it.
    staff.say("/close legal-aid 16.11 choroba prawnika").await;
    let closed = staff.press("🚫 Tak, zamknij").await;
    assert_has(
        &closed.text,
        &[
            "do których trzeba zadzwonić",
            "16.11 13:00 Jan Kowalski, +48 600 100 200",
            "wiadomość z powodem dostanie 0 z nich",
        ],
    );
    // The day's agenda says so later too, with the person to call.
    assert_has(
        &staff.ask("/agenda 16.11").await,
        &[
            "🚫 Pomoc prawna: nieczynne tego dnia (choroba prawnika)",
            "do których trzeba zadzwonić",
            "• 13:00 Jan Kowalski, +48 600 100 200",
        ],
    );
    assert_eq!(
        count(
            &pool,
            "select count(*) from outbox_job where kind = 'closure'"
        )
        .await,
        0
    );
}

/// A phone booking and a Telegram booking race for one slot: exactly one wins.
#[sqlx::test]
async fn a_phone_booking_and_a_telegram_booking_never_share_a_slot(pool: PgPool) {
    let bot = one_staff(pool.clone()).await;
    let mut anna = bot.phone(11, Some("pl"));
    anna.say("chcę się umówić do prawnika").await;
    anna.press("pon 16.11").await;
    anna.press("13:00").await;
    anna.say("Anna Kowalska").await;
    anna.say("600 100 200").await;
    let summary = anna.next_message().await;
    let confirm = summary
        .inline_keyboard
        .iter()
        .flatten()
        .find(|b| b.text == "✅ Potwierdzam")
        .and_then(|b| b.callback_data.clone())
        .expect("confirm");
    let mut staff = bot.phone(STAFF, Some("pl"));
    let (_, staff_reply) = tokio::join!(
        anna.press_data(summary.message_id, &confirm),
        staff.ask("/phone legal-aid 16.11 13:00 600100201 Jan Kowalski"),
    );
    let anna_reply = anna.next_message().await;
    let resident_won = anna_reply.text.starts_with("✅ Umówione");
    let staff_won = staff_reply.starts_with("📞 Zapisano telefonicznie");
    assert!(
        resident_won != staff_won,
        "exactly one wins: {anna_reply:?} / {staff_reply}"
    );
    assert_eq!(
        count(
            &pool,
            "select count(*) from booking where status = 'active' and slot_start = '2026-11-16T12:00:00Z'"
        )
        .await,
        1
    );
}

#[sqlx::test]
async fn staff_cancel_a_visit_with_a_reason_and_move_another_from_the_agenda(pool: PgPool) {
    let bot = one_staff(pool.clone()).await;
    let mut anna = bot.phone(11, Some("pl"));
    book(&mut anna, "13:00", "Anna Kowalska").await;
    let mut jan = bot.phone(12, Some("en"));
    jan.say("/start").await;
    seed_visit(
        &pool,
        12,
        "en",
        "Jan Nowak",
        "+48600100201",
        "2026-11-16T13:30:00+01:00",
    )
    .await;

    let mut staff = bot.phone(STAFF, Some("pl"));
    let agenda = staff.say("/agenda 16.11").await;
    assert_eq!(
        labels(&agenda)[..4],
        [
            "❌ 13:00 Anna: odwołaj",
            "🔁 przełóż",
            "❌ 13:30 Jan: odwołaj",
            "🔁 przełóż"
        ]
    );
    // Cancel Anna's visit: the reason is asked for, and Anna gets it with a way to book again.
    // "nie" keeps the visit; a command leaves the step; neither cancels anything.
    staff.press("❌ 13:00 Anna: odwołaj").await;
    assert_eq!(
        staff.ask("nie").await,
        bot.text(Lang::Pl, "staff-visit-kept")
    );
    staff.say("/agenda 16.11").await;
    staff.press("❌ 13:00 Anna: odwołaj").await;
    staff.say("/Agenda jutro").await;
    assert_has(
        &staff.ask("jakie są godziny otwarcia cas").await,
        &["Centrum Aktywizacji"],
    );
    assert_eq!(
        count(
            &pool,
            "select count(*) from booking where status = 'active'"
        )
        .await,
        2
    );
    staff.say("/agenda 16.11").await;
    let ask = staff.press("❌ 13:00 Anna: odwołaj").await;
    assert_has(
        &ask.text,
        &["Odwołać wizytę", "Anna Kowalska", "Napisz powód"],
    );
    // A reason that begins with "nie" is a reason, not a no.
    let confirm = staff.say("nie będzie prawnika").await;
    assert_has(&confirm.text, &["„nie będzie prawnika”"]);
    staff.press("Nie, zostaw wizytę").await;
    staff.say("/agenda 16.11").await;
    staff.press("❌ 13:00 Anna: odwołaj").await;
    let confirm = staff.say("choroba prawnika").await;
    assert_has(&confirm.text, &["„choroba prawnika”"]);
    let done = staff.press("❌ Tak, odwołaj").await;
    assert_has(&done.text, &["❌ Odwołano wizytę: Anna Kowalska"]);
    let agenda = staff.next_message().await;
    assert_has(
        &agenda.text,
        &["📋 Wizyty: pon 16.11 (1)", "13:30 Jan Nowak"],
    );
    let told = anna.next_message().await;
    assert_has(
        &told.text,
        &[
            "Twoja wizyta jest odwołana",
            "poniedziałek 16.11, godz. 13:00–13:30",
            "Powód: choroba prawnika",
        ],
    );
    let days = anna.press("📅 Wybierz nowy termin").await;
    assert!(
        days.text.starts_with("Pomoc prawna: wybierz dzień."),
        "{days:?}"
    );

    // Move Jan's visit: a time that is not free is refused with the free ones; then moved, and
    // Jan is told in English, with new reminders.
    let rows = labels(&agenda);
    assert_eq!(rows[..2], ["❌ 13:30 Jan: odwołaj", "🔁 przełóż"]);
    staff.press("🔁 przełóż").await;
    assert_eq!(
        staff.ask("anuluj").await,
        bot.text(Lang::Pl, "staff-visit-kept")
    );
    staff.say("/agenda 16.11").await;
    let ask = staff.press("🔁 przełóż").await;
    assert_has(
        &ask.text,
        &["Przełożyć wizytę", "Jan Nowak", "śr 18.11: 13:00, 13:30"],
    );
    let refused = staff.ask("18.11 9:00").await;
    assert_has(
        &refused.clone(),
        &["Ten termin nie jest wolny", "śr 18.11: 13:00"],
    );
    // "środa" is the next Wednesday, 11.11, a holiday: the free days are listed instead.
    let holiday = staff.ask("środa 13:30").await;
    assert_has(&holiday, &["Ten termin nie jest wolny", "śr 18.11: 13:00"]);
    let moved = staff.ask("18.11 13:30").await;
    assert_has(&moved, &["🔁 Przełożono: Jan Nowak", "18.11", "13:30"]);
    let told = jan.next_message().await;
    assert_has(
        &told.text,
        &["Your visit has been moved", "18 Nov, 13:30–14:00"],
    );
    assert_eq!(
        count(
            &pool,
            "select count(*) from booking where name = 'Jan Nowak' and status = 'active'
             and slot_start = '2026-11-18T13:30:00+01:00'"
        )
        .await,
        1
    );
    assert!(
        count(
            &pool,
            "select count(*) from outbox_job j join booking b on b.id = j.booking_id
             where j.kind = 'reminder' and j.status = 'pending' and b.name = 'Jan Nowak'"
        )
        .await
            >= 1,
        "the moved visit is reminded of"
    );
    assert_eq!(
        count(
            &pool,
            "select count(*) from staff_audit where action in ('cancel', 'move')"
        )
        .await,
        2
    );
    // The export counts Anna's visit as cancelled by the centre.
    let figures = staff.ask("/export 1.11 30.11").await;
    assert_has(&figures, &["odwołane przez centrum 1"]);
    bot.assert_no_locale_problems();
}

#[sqlx::test]
async fn the_morning_digest_goes_to_the_staff_chat_once(pool: PgPool) {
    seed_visit(
        &pool,
        11,
        "pl",
        "Anna Kowalska",
        "+48600100200",
        "2026-11-09T13:00:00+01:00",
    )
    .await;
    // The clock starts just before the digest's time.
    let bot = TestBot::start_with(pool.clone(), |config| {
        common::at(config, "2026-11-09T07:29:59+01:00");
        config.digest_at = chrono::NaiveTime::from_hms_opt(7, 30, 0);
    })
    .await;
    let mut staff = bot.staff().await;
    let digest = staff.next_message().await;
    assert_has(
        &digest.text,
        &[
            "☀️ Wizyty na dziś, pon 9.11: 1",
            "Pomoc prawna\n13:00 Anna Kowalska, +48 600 100 200",
        ],
    );
    staff
        .expect_silence(std::time::Duration::from_millis(500))
        .await;
    assert_eq!(count(&pool, "select count(*) from staff_digest").await, 1);
}

#[sqlx::test]
async fn some_hours_are_closed_and_an_extra_day_is_opened(pool: PgPool) {
    let bot = one_staff(pool.clone()).await;
    let mut anna = bot.phone(11, Some("pl"));
    book(&mut anna, "13:00", "Anna Kowalska").await;
    let mut jan = bot.phone(12, Some("en"));
    jan.say("/start").await;
    seed_visit(
        &pool,
        12,
        "en",
        "Jan Nowak",
        "+48600100201",
        "2026-11-16T14:30:00+01:00",
    )
    .await;

    let mut staff = bot.phone(STAFF, Some("pl"));
    let ask = staff.say("/close prawnik 16.11 14-15 szkolenie").await;
    assert_has(
        &ask.text,
        &["pon 16.11, godz. 14:00–15:00", "Wizyt w tym czasie: 1"],
    );
    let done = staff.press("🚫 Tak, zamknij").await;
    assert_has(
        &done.text,
        &[
            "Zamknięte pon 16.11, godz. 14:00–15:00",
            "Odwołane wizyty: 1",
            "dostanie 1 z nich",
        ],
    );
    assert_has(
        &jan.next_message().await.text,
        &["Your visit is cancelled", "Reason: szkolenie"],
    );
    assert_eq!(
        count(
            &pool,
            "select count(*) from booking where status = 'active'"
        )
        .await,
        1,
        "Anna's 13:00 stays"
    );
    // The rest of the day is still offered; the closed hour is not.
    let mut olga = bot.phone(13, Some("pl"));
    olga.say("chcę się umówić do prawnika").await;
    let times = labels(&olga.press("pon 16.11").await);
    for kept in ["13:30", "15:00", "16:30"] {
        assert!(times.contains(&kept.to_owned()), "{kept} in {times:?}");
    }
    for gone in ["13:00", "14:00", "14:30"] {
        assert!(!times.contains(&gone.to_owned()), "{gone} in {times:?}");
    }

    // An extra opening on Tuesday, a day the point does not open: its slots appear.
    let opened = staff
        .ask("/open legal-aid 17.11 9:00-11:00 dodatkowy dyżur")
        .await;
    assert_has(
        &opened,
        &[
            "wt 17.11: godziny tego dnia 9:00–11:00",
            "Wolnych terminów tego dnia: 4",
        ],
    );
    let mut tomek = bot.phone(14, Some("pl"));
    let days = tomek.say("chcę się umówić do prawnika").await;
    assert!(labels(&days).contains(&"wt 17.11".to_owned()), "{days:?}");
    let times = labels(&tomek.press("wt 17.11").await);
    assert!(
        times.contains(&"9:00".to_owned()) && times.contains(&"10:30".to_owned()),
        "{times:?}"
    );
    assert_has(
        &staff.ask("/open legal-aid 17.11 rano").await,
        &["Dodatkowe godziny: /open"],
    );
    assert_eq!(
        count(
            &pool,
            "select count(*) from staff_audit where action in ('close', 'open')"
        )
        .await,
        2
    );
    bot.assert_no_locale_problems();
}
