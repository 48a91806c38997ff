//! What an outside tester found with `okienko chat`: one clear answer to a wish for a fully
//! booked service, questions at the phone step, "is it free?", `/forget` with nothing stored,
//! and emoji that are not thanks.

mod common;

use std::time::Duration;

use common::{assert_has, labels, mediation_fully_booked, Phone, TestBot};
use okienko::i18n::Lang;
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

/// Up to the phone step of a visit at the legal aid point (Monday 16 November, 13:00).
async fn at_the_phone_step(phone: &mut Phone) {
    phone.say("chcę się umówić do prawnika").await;
    phone.press("pon 16.11").await;
    phone.press("13:00").await;
    phone.say("Anna Kowalska").await;
}

/// A question typed at the phone step is answered (about the point being booked), and the
/// number is asked for again; a number then goes on as before.
#[sqlx::test]
async fn a_question_at_the_phone_step_is_answered_and_the_number_asked_again(pool: PgPool) {
    let bot = TestBot::start_at(pool, NOV_9).await;
    let mut anna = bot.phone(73, Some("pl"));
    at_the_phone_step(&mut anna).await;
    let answer = anna.ask("a to jest za darmo?").await;
    assert_has(
        &answer,
        &[
            "Punkt nieodpłatnej pomocy prawnej oraz edukacji prawnej",
            "Nieodpłatna pomoc prawna i edukacja prawna.",
        ],
    );
    let again = anna.next_message().await;
    assert_has(
        &again.text,
        &["Czekam jeszcze na numer telefonu", "Pomoc prawna"],
    );
    assert!(
        again
            .reply_keyboard
            .as_ref()
            .is_some_and(|rows| !rows.is_empty()),
        "the phone step's keyboard is shown again"
    );
    assert_eq!(
        anna.ask("600 100 200").await,
        bot.text(Lang::Pl, "book-thanks")
    );
    assert_has(&anna.next_message().await.text, &["Anna Kowalska"]);
    bot.assert_no_locale_problems();
}

/// The same at the phone step of the waiting list, in Ukrainian and without a question mark;
/// then the number is taken.
#[sqlx::test]
async fn a_question_at_the_waiting_list_phone_step_is_answered(pool: PgPool) {
    mediation_fully_booked(&pool).await;
    let bot = TestBot::start_at(pool.clone(), NOV_9).await;
    let mut mykola = bot.phone(80, Some("uk"));
    mykola.say("хочу записатися на медіацію").await;
    mykola.press("📝 Додати мене до списку").await;
    mykola.say("Микола Шевченко").await;
    let answer = mykola.ask("чи це безкоштовно").await;
    assert_has(
        &answer,
        &[
            "Пункт сімейної медіації",
            &bot.text(Lang::Uk, "cost-not-given"),
        ],
    );
    assert_has(
        &mykola.next_message().await.text,
        &["Я ще чекаю на номер телефону", "Сімейна медіація"],
    );
    assert_eq!(
        mykola.ask("600 200 300").await,
        bot.text(Lang::Uk, "book-thanks")
    );
    assert_has(
        &mykola.next_message().await.text,
        &["Ви в списку очікування"],
    );
    assert_eq!(
        common::count(&pool, "select count(*) from waiting where telegram_id = 80").await,
        1
    );
    bot.assert_no_locale_problems();
}

/// "Is it free?" with no point named, outside any step: every bookable point, from the
/// directory's own texts, in the person's language; what the directory does not say is not
/// made up.
#[sqlx::test]
async fn is_it_free_is_answered_for_the_bookable_points(pool: PgPool) {
    let bot = TestBot::start_at(pool, NOV_9).await;
    let mut anna = bot.phone(74, Some("pl"));
    for question in [
        "a to jest za darmo?",
        "czy to kosztuje cos",
        "ile to kosztuje",
    ] {
        let answer = anna.ask(question).await;
        assert_has(
            &answer,
            &[
                "Punkt nieodpłatnej pomocy prawnej oraz edukacji prawnej",
                "Nieodpłatna pomoc prawna i edukacja prawna.",
                "Punkt ds. mediacji rodzinnych",
                &bot.text(Lang::Pl, "cost-not-given"),
            ],
        );
    }
    let mut john = bot.phone(75, Some("en"));
    assert_has(
        &john.ask("is it free?").await,
        &[
            "Free legal aid and legal education.",
            "Family mediation point",
            &bot.text(Lang::En, "cost-not-given"),
        ],
    );
    let mut mykola = bot.phone(76, Some("uk"));
    assert_has(
        &mykola.ask("скільки це коштує?").await,
        &[
            "Безоплатна правова допомога та правова освіта.",
            "Пункт сімейної медіації",
            &bot.text(Lang::Uk, "cost-not-given"),
        ],
    );
    // A point named: that point only.
    let mediation = anna.ask("ile kosztuje mediacja?").await;
    assert_has(
        &mediation,
        &[
            "Punkt ds. mediacji rodzinnych",
            &bot.text(Lang::Pl, "cost-not-given"),
        ],
    );
    assert!(!mediation.contains("pomocy prawnej"), "{mediation}");
    bot.assert_no_locale_problems();
}

/// Asked while the days of the legal aid point are on screen: answered for that point, and
/// the days shown again.
#[sqlx::test]
async fn is_it_free_at_a_booking_step_keeps_the_step(pool: PgPool) {
    let bot = TestBot::start_at(pool, NOV_9).await;
    let mut anna = bot.phone(77, Some("pl"));
    anna.say("chcę się umówić do prawnika").await;
    let answer = anna.ask("a to jest za darmo?").await;
    assert_has(&answer, &["Nieodpłatna pomoc prawna i edukacja prawna."]);
    assert!(!answer.contains("mediacji"), "{answer}");
    let days = anna.next_message().await;
    assert!(
        labels(&days).contains(&"pon 16.11".to_owned()),
        "{:?}",
        labels(&days)
    );
    bot.assert_no_locale_problems();
}

/// `/forget` from someone of whom nothing is stored: said so, with no confirm step.
#[sqlx::test]
async fn forget_with_nothing_stored_says_so(pool: PgPool) {
    let bot = TestBot::start_at(pool, NOV_9).await;
    let mut anna = bot.phone(78, Some("pl"));
    anna.say("kiedy jest prawnik?").await;
    let reply = anna.say("/forget").await;
    assert_eq!(reply.text, bot.text(Lang::Pl, "forget-nothing"));
    assert!(
        reply
            .inline_keyboard
            .iter()
            .flatten()
            .all(|b| b.callback_data.as_deref() != Some("pfy")),
        "no confirm button"
    );
    // With a visit booked, the confirm step is still there.
    at_the_phone_step(&mut anna).await;
    anna.ask("600 100 200").await;
    anna.next_message().await;
    anna.press("✅ Potwierdzam").await;
    // The calendar file may come after the confirmation, before the answer to /forget.
    let mut ask = anna.say("/forget").await;
    if ask.text != bot.text(Lang::Pl, "forget-ask") {
        ask = anna.next_message().await;
    }
    assert_eq!(ask.text, bot.text(Lang::Pl, "forget-ask"));
    bot.assert_no_locale_problems();
}

/// Emoji that are not thanks get the ordinary "what can I help with", with the menu; a thumbs
/// up is still thanks.
#[sqlx::test]
async fn only_thanks_like_emoji_are_thanks(pool: PgPool) {
    let bot = TestBot::start_at(pool, NOV_9).await;
    let mut anna = bot.phone(79, Some("pl"));
    for emoji in ["😡😡😡", "🤷"] {
        let reply = anna.say(emoji).await;
        assert_eq!(reply.text, bot.text(Lang::Pl, "greeting-reply"), "{emoji}");
        assert!(!reply.inline_keyboard.is_empty(), "the menu under it");
    }
    for emoji in ["👍", "🙏", "❤️", "😊 🙂"] {
        assert_eq!(
            anna.ask(emoji).await,
            bot.text(Lang::Pl, "thanks-reply"),
            "{emoji}"
        );
    }
    bot.assert_no_locale_problems();
}
