//! What an outside tester found with `okienko chat`: one clear answer to a wish for a fully
//! booked service, questions at the phone step, "is it free?", `/forget` with nothing stored,
//! and emoji that are not thanks.

mod common;

use std::time::Duration;

use common::{assert_has, mediation_fully_booked, TestBot};
use sqlx::PgPool;

/// Monday 9 November 2026, 9:00: the third Monday (16 November) is inside the four-week horizon.
const NOV_9: &str = "2026-11-09T09:00:00+01:00";

/// Mykola had the times of mediation's Monday on screen when the last of them went; he then
/// types his wish in Ukrainian: one answer (the waiting-list offer), not "this day is full"
/// about a day he did not name, nor the offer twice.
#[sqlx::test]
async fn a_wish_for_full_mediation_gets_one_answer_in_ukrainian(pool: PgPool) {
    let bot = TestBot::start_at(pool.clone(), NOV_9).await;
    let mut mykola = bot.phone(71, Some("uk"));
    mykola.say("хочу записатися на медіацію").await;
    mykola.press("пн 16.11").await;
    mediation_fully_booked(&pool).await;
    let offer = mykola.say("хочу записатися на медіацію").await;
    assert_has(
        &offer.text,
        &["Сімейна медіація: на найближчі 28 днів вільного часу немає."],
    );
    mykola.expect_silence(Duration::from_secs(2)).await;
    bot.assert_no_locale_problems();
}

/// The same in Polish, from the days of mediation on screen.
#[sqlx::test]
async fn a_wish_for_full_mediation_gets_one_answer_in_polish(pool: PgPool) {
    let bot = TestBot::start_at(pool.clone(), NOV_9).await;
    let mut anna = bot.phone(72, Some("pl"));
    anna.say("chcę się umówić na mediację").await;
    mediation_fully_booked(&pool).await;
    let offer = anna.say("chcę się umówić na mediację").await;
    assert_has(
        &offer.text,
        &["Mediacje rodzinne: w najbliższych 28 dniach nie ma wolnych terminów."],
    );
    anna.expect_silence(Duration::from_secs(2)).await;
    bot.assert_no_locale_problems();
}
