//! Limits that hold everywhere: one upcoming visit per person per service whether booked, taken
//! from the waiting list or joined through an old button; the waiting list only for a full
//! service; slots that never overlap a visit booked under other hours; and waiting-list offers
//! that respect the night and keep the person's place when they pass unanswered.

mod common;

use std::time::Duration;

use common::{assert_has, count, labels, mediation_fully_booked, Phone, TestBot};
use okienko::i18n::Lang;
use sqlx::PgPool;

/// Monday 9 November 2026, 9:00 in Chorzów: the third Monday (16 November, mediation from 13:00
/// to 16:00, legal aid from 13:00 to 17:00) is inside the four-week horizon.
const NOV_9: &str = "2026-11-09T09:00:00+01:00";

/// Puts person `id` on the mediation waiting list, `minutes` after midnight of 1 November (the
/// order of the list), as the bot would have.
async fn waiting(pool: &PgPool, id: i64, status: &str, minutes: i64) -> i64 {
    sqlx::query_scalar(
        "insert into waiting (service_key, telegram_id, chat_id, name, phone, language, status, created_at)
         values ('mediation', $1, $1, 'Osoba Czekająca', '+48600200300', 'pl', $2,
                 '2026-11-01T00:00:00Z'::timestamptz + make_interval(mins => $3::int))
         returning id",
    )
    .bind(id)
    .bind(status)
    .bind(minutes as i32)
    .fetch_one(pool)
    .await
    .expect("waiting")
}

/// Person `id`'s mediation visit on 16 November is cancelled: a slot frees.
async fn free_mediation(pool: &PgPool, id: i64) {
    sqlx::query(
        "update booking set status = 'cancelled', cancelled_at = now() where telegram_id = $1",
    )
    .bind(id)
    .execute(pool)
    .await
    .expect("cancelled");
}

/// Person `id`'s phone, once they have written to the bot (their chat exists) and read its menu.
async fn greeted(bot: &TestBot, id: i64) -> Phone {
    let mut phone = bot.phone(id, Some("pl"));
    phone.say("/start").await;
    phone
}

/// Unix time of a Chorzów wall-clock instant (for forged buttons).
fn unix(local: &str) -> i64 {
    chrono::DateTime::parse_from_rfc3339(local)
        .expect("instant")
        .timestamp()
}

/// The scenario of the issue: someone with a visit presses an old "put me on the list" button
/// (or sends its data). They are shown their visit instead; nothing puts them on the list, so no
/// offer can give them a second slot.
#[sqlx::test]
async fn a_person_with_a_visit_cannot_join_the_waiting_list(pool: PgPool) {
    mediation_fully_booked(&pool).await;
    let bot = TestBot::start_at(pool.clone(), NOV_9).await;
    let mut one = bot.phone(1, Some("pl"));
    let menu = one.say("/start").await;
    one.press_data(menu.message_id, "wj:mediation").await;
    let reply = one.next_message().await;
    assert_has(
        &reply.text,
        &[
            "Masz już umówioną wizytę w tym punkcie",
            "poniedziałek 16.11, godz. 13:00–14:00",
        ],
    );
    assert!(
        labels(&reply).iter().any(|l| l.starts_with("🔁")),
        "the visit can be moved from here: {:?}",
        labels(&reply)
    );
    // Person 2's visit frees: nothing is offered to person 1.
    free_mediation(&pool, 2).await;
    bot.services.waitlist.notify_one();
    one.expect_silence(Duration::from_secs(2)).await;
    assert_eq!(
        count(&pool, "select count(*) from waiting where telegram_id = 1").await,
        0
    );
    assert_eq!(
        count(
            &pool,
            "select count(*) from booking where telegram_id = 1 and status in ('active', 'held')"
        )
        .await,
        1
    );
    bot.assert_no_locale_problems();
}

/// A service with free times has no waiting list: an old button says so and shows the days.
#[sqlx::test]
async fn joining_the_list_of_a_service_with_free_times_shows_the_days(pool: PgPool) {
    let bot = TestBot::start_at(pool.clone(), NOV_9).await;
    let mut anna = bot.phone(11, Some("pl"));
    let menu = anna.say("/start").await;
    anna.press_data(menu.message_id, "wj:legal-aid").await;
    let said = anna.next_message().await;
    assert_has(&said.text, &["są jeszcze wolne terminy", "Pomoc prawna"]);
    let days = anna.next_message().await;
    assert!(
        days.text.starts_with("Pomoc prawna: wybierz dzień."),
        "{}",
        days.text
    );
    assert_eq!(count(&pool, "select count(*) from waiting").await, 0);
    bot.assert_no_locale_problems();
}

/// A person on the list who holds a visit of the service by now (an entry from before these
/// limits) is passed over: the slot goes to the next person, and nothing is held for them.
#[sqlx::test]
async fn an_offer_passes_over_someone_who_holds_a_visit(pool: PgPool) {
    mediation_fully_booked(&pool).await;
    let bot = TestBot::start_at(pool.clone(), NOV_9).await;
    let mut one = greeted(&bot, 1).await;
    let mut next = greeted(&bot, 61).await;
    waiting(&pool, 1, "waiting", 0).await;
    waiting(&pool, 61, "waiting", 10).await;
    free_mediation(&pool, 2).await;
    bot.services.waitlist.notify_one();
    let offer = next.next_message().await;
    assert_has(
        &offer.text,
        &["Zwolnił się termin: Punkt ds. mediacji rodzinnych, poniedziałek 16.11, godz. 14:00–15:00."],
    );
    one.expect_silence(Duration::from_secs(1)).await;
    assert_eq!(
        count(
            &pool,
            "select count(*) from booking where telegram_id = 1 and status in ('active', 'held')"
        )
        .await,
        1
    );
    bot.assert_no_locale_problems();
}

/// An offer held for someone who has a visit by the time they press "take it" is refused in the
/// transaction: they see their visit, and the slot passes to the next person.
#[sqlx::test]
async fn taking_an_offer_while_holding_a_visit_is_refused(pool: PgPool) {
    mediation_fully_booked(&pool).await;
    free_mediation(&pool, 2).await;
    let list = waiting(&pool, 1, "offered", 0).await;
    waiting(&pool, 61, "waiting", 10).await;
    let held: i64 = sqlx::query_scalar(
        "insert into booking (service_key, slot_start, slot_end, seat, telegram_id, chat_id, name, phone,
                              language, status, held_until, waiting_id, created_at)
         values ('mediation', '2026-11-16T13:00:00Z', '2026-11-16T14:00:00Z', 1, 1, 1, 'Osoba',
                 '+48600100201', 'pl', 'held', '2026-11-09T20:00:00Z', $1, now())
         returning id",
    )
    .bind(list)
    .fetch_one(&pool)
    .await
    .expect("held");
    let bot = TestBot::start_at(pool.clone(), NOV_9).await;
    let mut next = greeted(&bot, 61).await;
    let mut one = bot.phone(1, Some("pl"));
    let menu = one.say("/start").await;
    one.press_data(menu.message_id, &format!("ot:{held}")).await;
    let reply = one.next_message().await;
    assert_has(
        &reply.text,
        &[
            "Masz już umówioną wizytę w tym punkcie",
            "poniedziałek 16.11, godz. 13:00–14:00",
        ],
    );
    assert_eq!(
        count(
            &pool,
            "select count(*) from booking where telegram_id = 1 and status = 'active'"
        )
        .await,
        1
    );
    let offer = next.next_message().await;
    assert_has(&offer.text, &["Zwolnił się termin", "godz. 14:00–15:00"]);
    bot.assert_no_locale_problems();
}

/// The directory file now cuts legal aid into hours where a 13:30 visit was booked under
/// half-hours: 13:00 overlaps it and is never shown, a forged 13:00 is refused, and the database
/// itself refuses an overlapping row.
#[sqlx::test]
async fn a_longer_slot_never_overlaps_a_visit_booked_before(pool: PgPool) {
    sqlx::query(
        "insert into booking (service_key, slot_start, slot_end, seat, telegram_id, chat_id, name, phone, language, status, created_at)
         values ('legal-aid', '2026-11-16T12:30:00Z', '2026-11-16T13:00:00Z', 1, 5, 5, 'Osoba', '+48600100205', 'pl', 'active', now())",
    )
    .execute(&pool)
    .await
    .expect("booked under half-hour slots");
    let path = hourly_legal_aid("overlaps");
    let bot = TestBot::start_with(pool.clone(), |config| {
        common::at(config, NOV_9);
        config.directory = Some(path.clone());
    })
    .await;
    let mut anna = bot.phone(11, Some("pl"));
    anna.say("chcę się umówić do prawnika").await;
    let times = anna.press("pon 16.11").await;
    assert_eq!(
        labels(&times),
        ["14:00", "15:00", "16:00", "⬅️ Wstecz", "❌ Anuluj"]
    );
    let forged = unix("2026-11-16T13:00:00+01:00");
    anna.press_data(times.message_id, &format!("bt:legal-aid:{forged}"))
        .await;
    assert_eq!(
        anna.next_message().await.text,
        bot.text(Lang::Pl, "book-slot-gone")
    );
    let overlapping = sqlx::query(
        "insert into booking (service_key, slot_start, slot_end, seat, telegram_id, chat_id, name, phone, language, status, created_at)
         values ('legal-aid', '2026-11-16T12:00:00Z', '2026-11-16T13:00:00Z', 1, 6, 6, 'Osoba', '+48600100206', 'pl', 'held', now())",
    )
    .execute(&pool)
    .await;
    assert!(
        overlapping.is_err(),
        "the database took an overlapping seat"
    );
    assert_eq!(
        count(
            &pool,
            "select count(*) from booking where status in ('active', 'held')"
        )
        .await,
        1
    );
    bot.assert_no_locale_problems();
}

/// The shipped directory file with legal aid cut into hours instead of half-hours, written for
/// the test `name` (a file of its own, as tests run at once).
fn hourly_legal_aid(name: &str) -> std::path::PathBuf {
    let shipped = include_str!("../deploy/directory/chorzow.toml");
    let marker = "slot_minutes = 30\ncapacity = 1";
    assert!(shipped.contains(marker), "legal aid's rules moved");
    let hourly = shipped.replacen(marker, "slot_minutes = 60\ncapacity = 1", 1);
    let dir = std::env::temp_dir().join(format!("okienko-limits-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    let path = dir.join(format!("{name}.toml"));
    std::fs::write(&path, hourly).expect("written");
    path
}

/// Another instance of the bot, still on half-hours, books 14:30 while a person on hours reads
/// the summary of 14:00: the database refuses the overlapping seat at the confirmation, and the
/// person is offered the nearest free times.
#[sqlx::test]
async fn the_database_refuses_a_slot_overlapping_a_visit_booked_meanwhile(pool: PgPool) {
    let path = hourly_legal_aid("meanwhile");
    let bot = TestBot::start_with(pool.clone(), |config| {
        common::at(config, NOV_9);
        config.directory = Some(path.clone());
    })
    .await;
    let mut anna = bot.phone(11, Some("pl"));
    anna.say("chcę się umówić do prawnika").await;
    anna.press("pon 16.11").await;
    anna.press("14:00").await;
    anna.say("Anna Kowalska").await;
    bot.client
        .send_contact(&anna.user, "+48600100200")
        .await
        .expect("shared");
    anna.next_message().await;
    let summary = anna.next_message().await;
    assert_has(&summary.text, &["poniedziałek 16.11, godz. 14:00–15:00"]);
    sqlx::query(
        "insert into booking (service_key, slot_start, slot_end, seat, telegram_id, chat_id, name, phone, language, status, created_at)
         values ('legal-aid', '2026-11-16T13:30:00Z', '2026-11-16T14:00:00Z', 1, 5, 5, 'Osoba', '+48600100205', 'pl', 'active', now())",
    )
    .execute(&pool)
    .await
    .expect("booked by the other instance");
    let refused = anna.press("✅ Potwierdzam").await;
    assert_eq!(refused.text, bot.text(Lang::Pl, "book-slot-gone"));
    assert!(
        !labels(&refused).iter().any(|l| l == "pon 16.11 14:00"),
        "{:?}",
        labels(&refused)
    );
    assert_eq!(
        count(&pool, "select count(*) from booking where telegram_id = 11").await,
        0
    );
    bot.assert_no_locale_problems();
}

/// A person who books a visit directly while a slot is held for them from the waiting list
/// leaves the list, and the held slot goes: the old offer's "take it" cannot give a second visit.
#[sqlx::test]
async fn booking_directly_ends_the_place_on_the_list_and_the_offer(pool: PgPool) {
    mediation_fully_booked(&pool).await;
    let bot = TestBot::start_at(pool.clone(), NOV_9).await;
    let mut first = greeted(&bot, 61).await;
    waiting(&pool, 61, "waiting", 0).await;
    free_mediation(&pool, 2).await;
    free_mediation(&pool, 3).await;
    bot.services.waitlist.notify_one();
    let offer = first.next_message().await;
    assert_has(&offer.text, &["Zwolnił się termin", "godz. 14:00–15:00"]);
    // Instead of taking it, they book 15:00 themselves.
    first.say("umów mediacje").await;
    first.press("pon 16.11").await;
    first.press("15:00").await;
    first.say("Pierwsza Osoba").await;
    first.say("600 200 300").await;
    first.next_message().await;
    let booked = first.press("✅ Potwierdzam").await;
    assert_has(&booked.text, &["✅ Umówione", "godz. 15:00–16:00"]);
    first.next_message().await; // the calendar file
    let again = first.press("✅ Biorę").await;
    assert_eq!(again.text, bot.text(Lang::Pl, "offer-gone"));
    assert_eq!(
        count(
            &pool,
            "select count(*) from booking where telegram_id = 61 and status in ('active', 'held')"
        )
        .await,
        1
    );
    assert_eq!(
        count(
            &pool,
            "select count(*) from waiting where telegram_id = 61 and status in ('waiting', 'offered')"
        )
        .await,
        0
    );
    bot.assert_no_locale_problems();
}

/// A slot frees while a person gives their name and number for the waiting list: instead of a
/// list they need not be on, they are told the times are free and shown the days.
#[sqlx::test]
async fn a_slot_freed_while_joining_the_list_is_shown_instead(pool: PgPool) {
    mediation_fully_booked(&pool).await;
    let bot = TestBot::start_at(pool.clone(), NOV_9).await;
    let mut anna = bot.phone(61, Some("pl"));
    anna.say("umów mediacje").await;
    anna.press("📝 Zapisz mnie na listę").await;
    anna.say("Anna Kowalska").await;
    free_mediation(&pool, 2).await;
    anna.say("600 200 300").await; // "Dziękuję."
    let said = anna.next_message().await;
    assert_has(
        &said.text,
        &["są jeszcze wolne terminy", "Mediacje rodzinne"],
    );
    let days = anna.next_message().await;
    assert!(
        labels(&days).iter().any(|l| l == "pon 16.11"),
        "{:?}",
        labels(&days)
    );
    assert_eq!(count(&pool, "select count(*) from waiting").await, 0);
    bot.assert_no_locale_problems();
}

/// A slot freed at night is offered at 8:00, and held from then for the offer's minutes.
#[sqlx::test]
async fn an_offer_found_at_night_is_sent_at_eight(pool: PgPool) {
    mediation_fully_booked(&pool).await;
    let bot = TestBot::start_with(pool.clone(), |config| {
        common::at(config, "2026-11-10T07:59:52+01:00");
        config.offer_minutes = 30;
    })
    .await;
    let mut next = greeted(&bot, 61).await;
    waiting(&pool, 61, "waiting", 0).await;
    free_mediation(&pool, 2).await;
    bot.services.waitlist.notify_one();
    let offer = next.next_message().await;
    let eight = chrono::DateTime::parse_from_rfc3339("2026-11-10T08:00:00+01:00").expect("t");
    assert!(
        bot.services.clock.now() >= eight,
        "the offer came before 8:00"
    );
    assert_has(&offer.text, &["Zwolnił się termin", "do 8:30"]);
    bot.assert_no_locale_problems();
}

/// An offer made late in the evening does not run out in the night: the time left at 21:00 goes
/// on from 8:00, and the message says until when.
#[sqlx::test]
async fn an_offer_made_in_the_evening_is_held_over_the_night(pool: PgPool) {
    mediation_fully_booked(&pool).await;
    let bot = TestBot::start_with(pool.clone(), |config| {
        common::at(config, "2026-11-10T20:45:00+01:00");
        config.offer_minutes = 30;
    })
    .await;
    let mut next = greeted(&bot, 61).await;
    waiting(&pool, 61, "waiting", 0).await;
    free_mediation(&pool, 2).await;
    bot.services.waitlist.notify_one();
    let offer = next.next_message().await;
    assert_has(&offer.text, &["Zwolnił się termin", "jutra", "8:15"]);
    let until: chrono::DateTime<chrono::Utc> =
        sqlx::query_scalar("select held_until from booking where status = 'held'")
            .fetch_one(&pool)
            .await
            .expect("held");
    // 15 minutes before 21:00, the other 15 from 8:00 (the clock ran a moment since 20:45).
    assert_eq!(
        until.format("%Y-%m-%d %H:%M").to_string(),
        "2026-11-11 07:15"
    );
    bot.assert_no_locale_problems();
}

/// An offer left unanswered passes the slot to the next person, and the first keeps their place
/// for the next slot; the message says so and has a button to leave the list.
#[sqlx::test]
async fn an_unanswered_offer_keeps_the_place_on_the_list(pool: PgPool) {
    mediation_fully_booked(&pool).await;
    let bot = TestBot::start_at(pool.clone(), NOV_9).await;
    let mut first = greeted(&bot, 61).await;
    let mut second = greeted(&bot, 62).await;
    waiting(&pool, 61, "waiting", 0).await;
    waiting(&pool, 62, "waiting", 10).await;
    free_mediation(&pool, 2).await;
    bot.services.waitlist.notify_one();
    let offer = first.next_message().await;
    assert_has(&offer.text, &["godz. 14:00–15:00"]);
    // The bot's clock is at 9 November: the offer's deadline goes before it.
    sqlx::query("update booking set held_until = '2026-11-09T07:00:00Z' where status = 'held'")
        .execute(&pool)
        .await
        .expect("time passes");
    let expired = first.next_message().await;
    assert_has(&expired.text, &["Nadal jesteś na liście oczekujących"]);
    assert!(
        labels(&expired).iter().any(|l| l.starts_with("🚪")),
        "a button to leave the list: {:?}",
        labels(&expired)
    );
    let passed = second.next_message().await;
    assert_has(&passed.text, &["Zwolnił się termin", "godz. 14:00–15:00"]);
    assert_eq!(
        count(
            &pool,
            "select count(*) from waiting where telegram_id = 61 and status = 'waiting'"
        )
        .await,
        1
    );
    // The next slot to free is the first person's again.
    free_mediation(&pool, 3).await;
    bot.services.waitlist.notify_one();
    let again = first.next_message().await;
    assert_has(&again.text, &["Zwolnił się termin", "godz. 15:00–16:00"]);
    second.expect_silence(Duration::from_millis(800)).await;
    bot.assert_no_locale_problems();
}

/// Joining the list says what really happens: the minutes to answer, no messages at night, and
/// the place kept when an offer passes unanswered.
#[sqlx::test]
async fn joining_the_list_says_how_offers_work(pool: PgPool) {
    mediation_fully_booked(&pool).await;
    let bot = TestBot::start_with(pool.clone(), |config| {
        common::at(config, NOV_9);
        config.offer_minutes = 22;
    })
    .await;
    let mut anna = bot.phone(61, Some("pl"));
    anna.say("umów mediacje").await;
    anna.press("📝 Zapisz mnie na listę").await;
    anna.say("Anna Kowalska").await;
    anna.say("600 200 300").await; // "Dziękuję."
    let joined = anna.next_message().await;
    assert_has(
        &joined.text,
        &[
            "Jesteś na liście oczekujących: Mediacje rodzinne.",
            "22 minuty",
            "W nocy (21:00–8:00) nie piszę",
            "zostajesz na liście",
        ],
    );
    bot.assert_no_locale_problems();
}

/// The staff open legal aid earlier on a Monday (12:45 to 13:15): the day's half-hours now start
/// at 12:45, 13:15, 13:45... and a 13:00 visit booked before overlaps the first two. Neither is
/// offered, and the count the staff read leaves them out.
#[sqlx::test]
async fn an_extra_opening_never_offers_a_slot_overlapping_a_visit(pool: PgPool) {
    sqlx::query(
        "insert into booking (service_key, slot_start, slot_end, seat, telegram_id, chat_id, name, phone, language, status, created_at)
         values ('legal-aid', '2026-11-16T12:00:00Z', '2026-11-16T12:30:00Z', 1, 5, 5, 'Osoba', '+48600100205', 'pl', 'active', now())",
    )
    .execute(&pool)
    .await
    .expect("13:00 booked");
    const STAFF: i64 = 501;
    let bot = TestBot::start_with(pool.clone(), |config| {
        common::at(config, NOV_9);
        config.staff_ids = vec![okienko::config::StaffId {
            user: STAFF,
            centre: None,
        }];
    })
    .await;
    let mut staff = bot.phone(STAFF, Some("pl"));
    staff.say("/start").await;
    let opened = staff
        .ask("/open legal-aid 16.11 12:45-13:15 dodatkowy dyżur")
        .await;
    assert_has(
        &opened,
        &[
            "pon 16.11: godziny tego dnia 12:45–17:00",
            "Wolnych terminów tego dnia: 6",
        ],
    );
    let mut anna = bot.phone(11, Some("pl"));
    anna.say("chcę się umówić do prawnika").await;
    let times = anna.press("pon 16.11").await;
    assert_eq!(
        labels(&times),
        [
            "13:45",
            "14:15",
            "14:45",
            "15:15",
            "15:45",
            "16:15",
            "⬅️ Wstecz",
            "❌ Anuluj"
        ]
    );
    bot.assert_no_locale_problems();
}

/// An offer whose deadline passed while the bot was down (20:00) is found expired at 2:00: the
/// person is told at 8:00, not in the night, and the slot's next offer waits for 8:00 too.
#[sqlx::test]
async fn an_offer_found_expired_at_night_is_told_in_the_morning(pool: PgPool) {
    mediation_fully_booked(&pool).await;
    free_mediation(&pool, 2).await;
    let list = waiting(&pool, 61, "offered", 0).await;
    waiting(&pool, 62, "waiting", 10).await;
    sqlx::query(
        "insert into booking (service_key, slot_start, slot_end, seat, telegram_id, chat_id, name, phone,
                              language, status, held_until, waiting_id, created_at)
         values ('mediation', '2026-11-16T13:00:00Z', '2026-11-16T14:00:00Z', 1, 61, 61, 'Osoba',
                 '+48600200300', 'pl', 'held', '2026-11-09T19:00:00Z', $1, now())",
    )
    .bind(list)
    .execute(&pool)
    .await
    .expect("held");
    let bot = TestBot::start_at(pool.clone(), "2026-11-10T02:00:00+01:00").await;
    let mut first = greeted(&bot, 61).await;
    let mut second = greeted(&bot, 62).await;
    first.expect_silence(Duration::from_secs(2)).await;
    second.expect_silence(Duration::from_millis(200)).await;
    let due: Vec<(String, chrono::DateTime<chrono::Utc>)> = sqlx::query_as(
        "select kind, due_at from outbox_job where kind like 'offer%' order by kind",
    )
    .fetch_all(&pool)
    .await
    .expect("jobs");
    let due: Vec<(String, String)> = due
        .into_iter()
        .map(|(kind, at)| {
            let local = at.with_timezone(&chrono_tz::Europe::Warsaw);
            (kind, local.format("%d.%m %H:%M").to_string())
        })
        .collect();
    assert_eq!(
        due,
        [
            ("offer".to_owned(), "10.11 08:00".to_owned()),
            ("offer_expired".to_owned(), "10.11 08:00".to_owned())
        ]
    );
    bot.assert_no_locale_problems();
}

/// A long hold (a day of minutes) made in the evening ends two days on: the message names the day.
#[sqlx::test]
async fn a_long_offer_names_the_day_it_ends(pool: PgPool) {
    mediation_fully_booked(&pool).await;
    let bot = TestBot::start_with(pool.clone(), |config| {
        common::at(config, "2026-11-10T20:45:00+01:00");
        config.offer_minutes = 1440;
    })
    .await;
    let mut next = greeted(&bot, 61).await;
    waiting(&pool, 61, "waiting", 0).await;
    free_mediation(&pool, 2).await;
    bot.services.waitlist.notify_one();
    let offer = next.next_message().await;
    // 15 minutes on Tuesday, 13 hours on Wednesday, the other 10 h 45 min on Thursday from 8:00.
    assert_has(&offer.text, &["Zwolnił się termin", "do czw 12.11 18:45"]);
    bot.assert_no_locale_problems();
}
