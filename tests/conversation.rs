//! The first conversation, through the emulator and a real database: greeting, menu, language.

mod common;

use std::time::Duration;

use common::{labels, TestBot};
use okienko::{emulator::Fault, i18n::Lang};
use sqlx::PgPool;

const MENU: [&str; 6] = [
    "menu-hours",
    "menu-services",
    "menu-book",
    "menu-visits",
    "menu-contact",
    "menu-language",
];

fn menu_labels(bot: &TestBot, lang: Lang) -> Vec<String> {
    MENU.iter().map(|id| bot.text(lang, id)).collect()
}

/// /start and then every main-menu button, in one language; returns nothing, asserts everything.
async fn walk_the_menu(bot: &TestBot, lang: Lang, hint: &str, greeting_word: &str) {
    let mut phone = bot.phone(if lang == Lang::Pl { 101 } else { 102 }, Some(hint));
    let greeting = phone.say("/start").await;
    assert!(
        greeting.text.starts_with(greeting_word),
        "{}",
        greeting.text
    );
    assert_eq!(greeting.text, bot.text(lang, "start-greeting"));
    assert_eq!(labels(&greeting), menu_labels(bot, lang));

    // Each entry answers, with a way back to the menu as the last button.
    let directory = &bot.services.directory;
    let centres: Vec<String> = directory
        .centres
        .iter()
        .map(|c| c.name.get(lang).to_owned())
        .collect();
    let back = bot.text(lang, "menu-back");
    let with_back = |mut buttons: Vec<String>| {
        buttons.push(back.clone());
        buttons
    };
    let answers = [
        ("menu-hours", "hours-title", with_back(centres.clone())),
        (
            "menu-services",
            "services-title",
            with_back([centres.clone(), vec![bot.text(lang, "nav-ngo")]].concat()),
        ),
        (
            "menu-visits",
            "visits-none",
            with_back(vec![bot.text(lang, "visit-book")]),
        ),
        ("menu-contact", "contacts-title", with_back(centres.clone())),
    ];
    for (button, title, buttons) in answers {
        let reply = phone.press(&bot.text(lang, button)).await;
        let city = directory.city.get(lang);
        let expected = bot
            .services
            .locales
            .text(lang, title, &[("city", city.into())]);
        assert_eq!(
            reply.text.lines().next(),
            expected.lines().next(),
            "after {button}: {}",
            reply.text
        );
        assert_eq!(labels(&reply), buttons, "buttons after {button}");
        let menu = phone.press(&back).await;
        assert_eq!(menu.text, bot.text(lang, "menu-prompt"));
        assert_eq!(labels(&menu), menu_labels(bot, lang));
    }
    // Booking starts with the choice of service, and Cancel leads back to the menu.
    let book = phone.press(&bot.text(lang, "menu-book")).await;
    assert_eq!(book.text, bot.text(lang, "book-choose-service"));
    let bookable: Vec<String> = directory
        .bookable()
        .map(|(p, _)| p.short.get(lang).to_owned())
        .collect();
    assert_eq!(bookable.len(), 2);
    assert_eq!(
        labels(&book),
        [bookable, vec![bot.text(lang, "book-cancel")]].concat()
    );
    assert_eq!(
        phone.press(&bot.text(lang, "book-cancel")).await.text,
        bot.text(lang, "book-aborted")
    );
    assert_eq!(
        phone.next_message().await.text,
        bot.text(lang, "menu-prompt")
    );
    let choice = phone.press(&bot.text(lang, "menu-language")).await;
    assert_eq!(choice.text, bot.text(lang, "language-choose"));
    assert_eq!(
        labels(&choice),
        vec![
            "Polski".to_owned(),
            "English".to_owned(),
            "Українська".to_owned()
        ]
    );
    let help = phone.say("/help").await;
    assert_eq!(
        help.text,
        format!(
            "{}\n\n{}",
            bot.text(lang, "help-text"),
            bot.text(lang, "help-privacy")
        )
    );
    bot.assert_no_locale_problems();
}

#[sqlx::test]
async fn polish_user_walks_every_menu_button(pool: PgPool) {
    let bot = TestBot::start(pool).await;
    walk_the_menu(&bot, Lang::Pl, "pl", "Dzień dobry").await;
}

#[sqlx::test]
async fn english_user_walks_every_menu_button(pool: PgPool) {
    let bot = TestBot::start(pool).await;
    walk_the_menu(&bot, Lang::En, "en-GB", "Hello").await;
}

#[sqlx::test]
async fn language_is_the_choice_then_telegrams_hint_then_polish(pool: PgPool) {
    let bot = TestBot::start(pool.clone()).await;
    let mut german = bot.phone(201, Some("de"));
    assert_eq!(
        german.say("/start").await.text,
        bot.text(Lang::En, "start-greeting")
    );
    // A language the bot does not speak: the choice is offered at once.
    assert_eq!(
        german.next_message().await.text,
        bot.text(Lang::En, "language-choose")
    );
    let mut unknown = bot.phone(202, None);
    assert_eq!(
        unknown.say("/start").await.text,
        bot.text(Lang::Pl, "start-greeting")
    );

    // The German-speaking user picks Polish with the button; it sticks over Telegram's hint.
    german.press(&bot.text(Lang::En, "menu-language")).await;
    let set = german.press("Polski").await;
    assert_eq!(set.text, "Dobrze, piszę teraz po polsku.");
    assert_eq!(labels(&set), menu_labels(&bot, Lang::Pl));
    assert_eq!(
        german.say("/start").await.text,
        bot.text(Lang::Pl, "start-greeting")
    );
    let saved: Option<String> =
        sqlx::query_scalar("select language from telegram_user where telegram_id = 201")
            .fetch_one(&pool)
            .await
            .expect("the user is stored");
    assert_eq!(saved.as_deref(), Some("pl"));
    // The other user was recorded without a choice.
    let saved: Option<String> =
        sqlx::query_scalar("select language from telegram_user where telegram_id = 202")
            .fetch_one(&pool)
            .await
            .expect("the user is stored");
    assert_eq!(saved, None);
}

#[sqlx::test]
async fn language_switches_by_command_argument_and_by_typed_name(pool: PgPool) {
    let bot = TestBot::start(pool).await;
    let mut phone = bot.phone(301, Some("pl"));
    assert_eq!(
        phone.say("/language en").await.text,
        "All right, I will write in English now."
    );
    assert_eq!(
        phone.say("/lang pl").await.text,
        "Dobrze, piszę teraz po polsku."
    );

    // Without an argument the bot asks, and a typed answer counts.
    assert_eq!(
        phone.say("/language").await.text,
        bot.text(Lang::Pl, "language-choose")
    );
    assert_eq!(
        phone.say("klingoński").await.text,
        bot.text(Lang::Pl, "language-unknown")
    );
    assert_eq!(
        phone.say("English").await.text,
        bot.text(Lang::En, "language-set")
    );
    // Back to normal: a word that is no language is a question again, while a language asked
    // for in words is still switched to.
    let reply = phone.say("klingoński").await.text;
    assert!(
        reply.starts_with("I can't answer that question yet."),
        "{reply}"
    );
    assert_eq!(
        phone.say("po polsku").await.text,
        bot.text(Lang::Pl, "language-set")
    );
    bot.assert_no_locale_problems();
}

#[sqlx::test]
async fn commands_are_registered_in_each_language(pool: PgPool) {
    let bot = TestBot::start(pool).await;
    let commands = bot.client.commands().await.expect("commands are readable");
    for (code, lang) in [("pl", Lang::Pl), ("en", Lang::En), ("", Lang::Pl)] {
        let list = commands
            .get(code)
            .unwrap_or_else(|| panic!("commands for {code:?}"));
        let list = list.as_array().expect("a list");
        let names: Vec<&str> = list.iter().filter_map(|c| c["command"].as_str()).collect();
        assert_eq!(
            names,
            ["start", "help", "menu", "language", "privacy", "mydata", "forget"]
        );
        assert_eq!(
            list[0]["description"].as_str(),
            Some(bot.text(lang, "command-start").as_str())
        );
    }
    assert_ne!(
        commands["pl"][1]["description"], commands["en"][1]["description"],
        "the two languages have their own descriptions"
    );
}

#[sqlx::test]
async fn other_messages_get_a_kind_reply_with_the_menu(pool: PgPool) {
    let bot = TestBot::start(pool).await;
    let mut phone = bot.phone(401, Some("pl"));
    let reply = phone.say("zupełnie niezrozumiałe zdanie").await;
    assert!(
        reply
            .text
            .starts_with(&bot.text(Lang::Pl, "unknown-question")),
        "{}",
        reply.text
    );
    assert!(
        reply.text.contains("CPS: tel. +48 32 241 26 46")
            && reply.text.contains("CAS: tel. +48 32 307 53 29"),
        "{}",
        reply.text
    );
    assert_eq!(labels(&reply), menu_labels(&bot, Lang::Pl));

    bot.client
        .send_contact(&phone.user, "+48 600 100 200")
        .await
        .expect("sent");
    let reply = phone.next_message().await;
    assert_eq!(reply.text, bot.text(Lang::Pl, "fallback-not-text"));

    let reply = phone.say("/nosuchcommand").await;
    assert!(
        reply
            .text
            .starts_with(&bot.text(Lang::Pl, "unknown-question")),
        "{}",
        reply.text
    );
}

#[sqlx::test]
async fn forged_and_stale_buttons_get_a_clear_answer(pool: PgPool) {
    let bot = TestBot::start(pool).await;
    let mut phone = bot.phone(501, Some("en"));
    let menu = phone.say("/start").await;
    for forged in [
        "m:nope",
        "lang:de",
        "garbage",
        "m:hours:1",
        "💥",
        "p:no-such-place",
        "c:xyz:h",
        "p:legal-aid:z",
    ] {
        phone.press_data(menu.message_id, forged).await;
        let reply = phone.next_message().await;
        // Said in a message with the menu, not only in a toast (screen readers skip toasts).
        assert_eq!(
            reply.text, "This button is no longer valid.",
            "after {forged:?}"
        );
        assert_eq!(labels(&reply), menu_labels(&bot, Lang::En));
    }
    bot.assert_no_locale_problems();
}

#[sqlx::test]
async fn a_failing_handler_apologises_and_others_are_served(pool: PgPool) {
    let bot = TestBot::start(pool).await;
    let mut unlucky = bot.phone(601, Some("en"));
    let mut other = bot.phone(602, Some("pl"));
    // Telegram refuses the bot's reply to the first user once: the handler fails.
    let refusal =
        Fault::error("sendMessage", 400, "Bad Request: something went wrong").for_chat(601);
    bot.client.add_fault(refusal).await.expect("fault armed");
    let apology = unlucky.say("/start").await;
    assert_eq!(apology.text, bot.text(Lang::En, "error-apology"));
    assert_eq!(
        other.say("/start").await.text,
        bot.text(Lang::Pl, "start-greeting")
    );
    // And the unlucky user is served again afterwards.
    assert_eq!(
        unlucky.say("/start").await.text,
        bot.text(Lang::En, "start-greeting")
    );
}

#[sqlx::test]
async fn telegrams_flood_control_is_waited_out(pool: PgPool) {
    let bot = TestBot::start(pool).await;
    let mut phone = bot.phone(701, Some("pl"));
    bot.client
        .add_fault(Fault::too_many_requests("sendMessage", 1).for_chat(701))
        .await
        .expect("fault armed");
    let started = std::time::Instant::now();
    let greeting = phone.say("/start").await;
    assert_eq!(greeting.text, bot.text(Lang::Pl, "start-greeting"));
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "the bot waited retry_after"
    );
    let calls = bot.client.calls().await.expect("calls");
    assert_eq!(calls["sendmessage"], 2, "one refused call, one retry");
    phone.expect_silence(Duration::from_millis(300)).await;
}

#[sqlx::test]
async fn an_unreadable_stored_state_starts_the_user_over(pool: PgPool) {
    let bot = TestBot::start(pool.clone()).await;
    let mut phone = bot.phone(801, Some("pl"));
    // A state written by an older version of the bot, which this one cannot read.
    sqlx::query("insert into dialogue (chat_id, state, updated_at) values (801, $1, now())")
        .bind(serde_json::json!({ "state": "booking_v0", "slot": 17 }))
        .execute(&pool)
        .await
        .expect("state written");
    let reply = phone.say("cokolwiek").await;
    assert_eq!(reply.text, bot.text(Lang::Pl, "state-lost"));
    assert_eq!(labels(&reply), menu_labels(&bot, Lang::Pl));
    let left: i64 = sqlx::query_scalar("select count(*) from dialogue where chat_id = 801")
        .fetch_one(&pool)
        .await
        .expect("count");
    assert_eq!(left, 0, "the unreadable state is gone");
    // The chat is not stuck: the next message is answered normally.
    assert_eq!(
        phone.say("/start").await.text,
        bot.text(Lang::Pl, "start-greeting")
    );
}

#[sqlx::test]
async fn an_abandoned_dialogue_expires(pool: PgPool) {
    let bot = TestBot::start(pool.clone()).await;
    let mut phone = bot.phone(901, Some("en"));
    phone.say("/language").await;
    let stored: serde_json::Value =
        sqlx::query_scalar("select state from dialogue where chat_id = 901")
            .fetch_one(&pool)
            .await
            .expect("the dialogue is stored");
    assert_eq!(stored, serde_json::json!({ "state": "choosing_language" }));
    sqlx::query("update dialogue set updated_at = now() - interval '2 days' where chat_id = 901")
        .execute(&pool)
        .await
        .expect("aged");
    // Two days later the question is forgotten: "klingoński" is just text now, not a language
    // the bot does not know.
    let reply = phone.say("klingoński").await.text;
    assert!(
        reply.starts_with("I can't answer that question yet."),
        "{reply}"
    );

    // The sweep removes such rows: 902's, and 901's (answering a question with nothing in
    // progress writes no dialogue).
    sqlx::query("insert into dialogue (chat_id, state, updated_at) values (902, '{\"state\":\"idle\"}', now() - interval '3 days')")
        .execute(&pool)
        .await
        .expect("old row");
    let storage = okienko::db::dialogue::PgStorage::new(
        pool.clone(),
        bot.services.health.clone(),
        bot.services.clock.clone(),
        Duration::from_secs(24 * 3600),
    );
    assert_eq!(storage.sweep().await.expect("swept"), 2);
}
