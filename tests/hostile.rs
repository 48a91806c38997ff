//! Hostile and odd input: very long texts, emoji, RTL and invisible characters, control
//! characters, SQL and Fluent syntax, media of every kind, edited messages, channel posts, forged
//! button data of any length, and update kinds the bot does not handle. Each gets a calm reply or
//! is ignored on purpose, and the bot keeps serving; a property test feeds random updates and
//! checks that the bot stays up and that nothing changed in the database that the input could not
//! change.

mod common;

use std::{collections::BTreeSet, time::Duration};

use common::{count, Phone, TestBot};
use okienko::{
    emulator::{EmulatorClient, GroupChat, UserProfile},
    i18n::Lang,
};
use proptest::{
    prelude::*,
    strategy::{Strategy, ValueTree},
    test_runner::{Config as ProptestConfig, TestRunner},
};
use serde_json::{json, Value};
use sqlx::PgPool;

/// A Monday morning, with the CPS open.
const MONDAY: &str = "2026-11-09T10:00:00+01:00";
const QUESTION: &str = "godziny otwarcia CPS";

/// What the bot is expected to do with one input.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Expect {
    /// A message back, calm (not the apology for an internal error).
    Reply,
    /// Nothing at all, on purpose.
    Silence,
    /// A button press: the spinner is stopped (perhaps with a notice), no apology.
    Answered,
}

/// The bot (with the tests' budget, large enough that flood control does not cut these short).
async fn bot(pool: PgPool) -> TestBot {
    TestBot::start_at(pool, MONDAY).await
}

fn private(user: &UserProfile) -> Value {
    json!({ "id": user.id, "type": "private", "first_name": user.first_name })
}

/// A button press under the bot's message `message_id` in the user's chat, with any data.
fn press(user: &UserProfile, message_id: i64, data: &str, n: usize) -> Value {
    json!({
        "id": format!("forged-{}-{n}", user.id),
        "from": { "id": user.id, "is_bot": false, "first_name": user.first_name },
        "message": {
            "message_id": message_id,
            "date": 0,
            "chat": private(user),
            "from": { "id": 7_000_000_001i64, "is_bot": true, "first_name": "Okienko", "username": "okienko_bot" },
            "text": "…",
        },
        "chat_instance": format!("ci{}", user.id),
        "data": data,
    })
}

fn file(id: &str) -> Value {
    json!({ "file_id": id, "file_unique_id": format!("u{id}"), "file_size": 1234 })
}

#[sqlx::test]
async fn each_hostile_input_gets_a_calm_reply_or_is_ignored(pool: PgPool) {
    let bot = bot(pool.clone()).await;
    let mut eve = bot.phone(801, Some("pl"));
    let first = eve.say("/start").await;
    let expected = bot.phone(802, Some("pl")).ask(QUESTION).await;
    let apology = bot.text(Lang::Pl, "error-apology");
    let client = bot.client.clone();
    let eve_user = eve.user.clone();
    let eve_json = user_json(&eve_user);
    let eve_chat = private(&eve_user);

    let long = "a".repeat(4096);
    let long_emoji = "👩‍👩‍👧".repeat(4096 / 5) + "😀";
    let texts: Vec<(&str, String)> = vec![
        ("4,096 characters", long),
        ("4,096 characters of emoji", long_emoji),
        (
            "RTL override and invisible characters",
            "\u{202E}godziny\u{200B} otwarcia \u{2066}CPS\u{2069}\u{FEFF}\u{200D}".into(),
        ),
        (
            "only invisible characters",
            "\u{200B}\u{200C}\u{2060}\u{FEFF}".into(),
        ),
        (
            "control characters",
            "\u{0}\u{7}\u{1b}[2J\u{8}\r\n\tgodziny\u{7f}\u{85}".into(),
        ),
        ("SQL", "'); drop table booking; --".into()),
        (
            "SQL in a name-like text",
            "Robert'); DELETE FROM telegram_user;--".into(),
        ),
        ("Fluent placeable", "{ $x }".into()),
        ("a lone brace", "{".into()),
        (
            "Fluent term and select",
            "{ -brand } { $n -> [one] x *[other] y }".into(),
        ),
        (
            "HTML",
            "<b>pogrubione</b> & <script>alert(1)</script>".into(),
        ),
        ("Arabic and Hebrew", "مرحبا שלום godziny".into()),
        ("a command with junk", "/start@okienko_bot \u{0} {".into()),
        ("an unknown command", "/drop_database".into()),
    ];
    for (what, text) in &texts {
        check(
            &client,
            &mut eve,
            &apology,
            what,
            Expect::Reply,
            "message",
            json!({ "chat": eve_chat.clone(), "from": eve_json.clone(), "text": text }),
        )
        .await;
    }

    let media: Vec<(&str, Value)> = vec![
        (
            "sticker",
            json!({ "sticker": { "file_id": "s1", "file_unique_id": "us1", "width": 512, "height": 512, "is_animated": false, "is_video": false, "type": "regular", "emoji": "😀" } }),
        ),
        (
            "photo",
            json!({ "photo": [ { "file_id": "p1", "file_unique_id": "up1", "width": 90, "height": 90 } ], "caption": "{ $x } '; drop table booking;" }),
        ),
        (
            "voice",
            json!({ "voice": { "file_id": "v1", "file_unique_id": "uv1", "duration": 3, "mime_type": "audio/ogg" } }),
        ),
        (
            "audio",
            json!({ "audio": { "file_id": "a1", "file_unique_id": "ua1", "duration": 200 } }),
        ),
        (
            "video note",
            json!({ "video_note": { "file_id": "n1", "file_unique_id": "un1", "length": 240, "duration": 5 } }),
        ),
        ("document", json!({ "document": file("d1") })),
        (
            "location",
            json!({ "location": { "latitude": 50.2974, "longitude": 18.9545 } }),
        ),
        (
            "venue",
            json!({ "venue": { "location": { "latitude": 50.29, "longitude": 18.95 }, "title": "Rynek", "address": "Chorzów" } }),
        ),
        ("dice", json!({ "dice": { "emoji": "🎲", "value": 6 } })),
        (
            "poll",
            json!({ "poll": { "id": "1", "question": "?", "options": [ { "text": "a", "voter_count": 0 } ], "total_voter_count": 0, "is_closed": false, "is_anonymous": true, "type": "regular", "allows_multiple_answers": false } }),
        ),
        (
            "someone else's contact",
            json!({ "contact": { "phone_number": "+48600999888", "first_name": "Obcy", "user_id": 12345 } }),
        ),
    ];
    for (what, content) in &media {
        let mut message = json!({ "chat": eve_chat.clone(), "from": eve_json.clone() });
        if let (Some(message), Value::Object(content)) = (message.as_object_mut(), content) {
            message.extend(content.clone());
        }
        check(
            &client,
            &mut eve,
            &apology,
            what,
            Expect::Reply,
            "message",
            message,
        )
        .await;
    }

    // An edit of an earlier message is ignored on purpose (the question was answered already).
    check(
        &client,
        &mut eve,
        &apology,
        "an edited message",
        Expect::Silence,
        "edited_message",
        json!({ "message_id": first.message_id - 1, "chat": eve_chat.clone(), "from": eve_json.clone(), "text": "godziny otwarcia CPS" }),
    )
    .await;

    // Forged button data of any length and shape.
    let junk: Vec<(&str, String)> = vec![
        ("65 bytes", format!("b:{}", "x".repeat(63))),
        ("1,000 bytes", "vc:".to_owned() + &"9".repeat(997)),
        ("10,000 bytes of emoji", "🙂".repeat(2500)),
        (
            "replacement and control characters",
            "\u{FFFD}\u{0}\u{1}\u{FFFF}".into(),
        ),
        ("a huge id", "vy:99999999999999999999999".into()),
        ("a negative id", "vc:-1".into()),
        ("a time that is no time", "bt:legal:jutro".into()),
        ("an unknown service", "b:'; drop table booking;--".into()),
        ("an offer of someone else's", "ot:1".into()),
        ("Fluent syntax", "{ $x }".into()),
        ("only a colon", ":".into()),
    ];
    for (n, (what, data)) in junk.iter().enumerate() {
        check(
            &client,
            &mut eve,
            &apology,
            what,
            Expect::Answered,
            "callback_query",
            press(&eve_user, first.message_id, data, n),
        )
        .await;
    }

    // Update kinds the bot does not handle, and broken ones: ignored.
    let ignored: Vec<(&str, &str, Value)> = vec![
        (
            "inline query",
            "inline_query",
            json!({ "id": "q1", "from": eve_json.clone(), "query": "{", "offset": "" }),
        ),
        (
            "reaction",
            "message_reaction",
            json!({ "chat": eve_chat.clone(), "message_id": 1, "date": 0, "old_reaction": [], "new_reaction": [ { "type": "emoji", "emoji": "👍" } ] }),
        ),
        (
            "poll answer",
            "poll_answer",
            json!({ "poll_id": "1", "user": eve_json.clone(), "option_ids": [0] }),
        ),
        (
            "join request",
            "chat_join_request",
            json!({ "chat": GroupChat::supergroup(-1_001, "x").to_json(), "from": eve_json.clone(), "user_chat_id": eve_user.id, "date": 0 }),
        ),
        (
            "an unknown kind",
            "something_new_from_telegram",
            json!({ "a": [1, 2, { "b": null }] }),
        ),
        (
            "a message that is not one",
            "message",
            json!({ "text": 5, "chat": "nie" }),
        ),
        (
            "a press without data",
            "callback_query",
            json!({ "id": "x", "from": eve_json.clone(), "chat_instance": "c" }),
        ),
        ("null", "edited_channel_post", Value::Null),
    ];
    for (what, kind, body) in ignored {
        check(
            &client,
            &mut eve,
            &apology,
            what,
            Expect::Silence,
            kind,
            body,
        )
        .await;
    }

    // The bot still serves, the same person and anyone else.
    assert_eq!(eve.ask(QUESTION).await, expected);
    assert_eq!(bot.phone(803, Some("pl")).ask(QUESTION).await, expected);
    assert_eq!(count(&pool, "select count(*) from booking").await, 0);
    assert_eq!(count(&pool, "select count(*) from telegram_user").await, 3);
    bot.assert_no_locale_problems();
}

/// Sends one update as `eve` and checks what the bot did with it.
async fn check(
    client: &EmulatorClient,
    eve: &mut Phone,
    apology: &str,
    what: &str,
    expect: Expect,
    kind: &str,
    body: Value,
) {
    let answered_before = answered(client).await;
    client
        .send_update(kind, body)
        .await
        .unwrap_or_else(|e| panic!("{what}: the emulator refused it: {e}"));
    match expect {
        Expect::Reply => {
            let reply = eve.next_message().await;
            assert_ne!(reply.text, apology, "{what}: an internal error");
            assert!(!reply.text.trim().is_empty(), "{what}: an empty reply");
            eve.expect_silence(Duration::from_millis(300)).await;
        }
        Expect::Silence => eve.expect_silence(Duration::from_millis(800)).await,
        Expect::Answered => {
            let deadline = tokio::time::Instant::now() + common::PATIENCE;
            while answered(client).await == answered_before {
                assert!(
                    tokio::time::Instant::now() < deadline,
                    "{what}: the press was never answered"
                );
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            // A message may follow the press (a step's question); never the apology.
            let chat = client.chat(eve.chat_id()).await.expect("chat");
            assert!(
                !chat.iter().any(|m| m.from_bot && m.text == apology),
                "{what}: an internal error"
            );
            while tokio::time::timeout(Duration::from_millis(300), eve.next_message())
                .await
                .is_ok()
            {}
        }
    }
}

async fn answered(client: &EmulatorClient) -> u64 {
    client
        .calls()
        .await
        .expect("calls")
        .get("answercallbackquery")
        .and_then(Value::as_u64)
        .unwrap_or(0)
}

/// One random input, as a property test draws it.
#[derive(Debug, Clone)]
enum Input {
    Text(String),
    Press(String),
    Media(usize),
    Edited(String),
    InGroup(String),
    Raw(String, Value),
}

/// Words the bot knows, mixed into random text so that the input reaches past the first branch.
const WORDS: &[&str] = &[
    "prawnik",
    "umów",
    "/book",
    "/start",
    "/cancel",
    "mediacja",
    "tak",
    "nie",
    "anuluj",
    "wróć",
    "Anna Kowalska",
    "+48600100200",
    "pon 16.11",
    "13:00",
    "{ $x }",
    "'; drop table booking;--",
    "\u{202E}",
    "\u{0}",
    "🙂",
    "menu",
    "/language",
    "en",
    "uk",
];
/// Callback data prefixes the bot knows, followed by random tails.
const PREFIXES: &[&str] = &[
    "m:",
    "lang:",
    "b:",
    "bd:legal:",
    "bt:legal:",
    "vm:",
    "md:1:",
    "mt:1:",
    "mc:1:",
    "vc:",
    "vy:",
    "wj:",
    "wl:",
    "ot:",
    "od:",
    "at:",
    "sa:",
    "nj:",
    "nl:",
    "sc:",
    "sv:",
    "p:",
    "",
];

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        proptest::collection::vec(proptest::sample::select(WORDS), 1..4).prop_map(|w| w.join(" ")),
        (proptest::sample::select(WORDS), any::<String>()).prop_map(|(w, s)| format!("{w}{s}")),
        (0usize..4200).prop_map(|n| "ż".repeat(n.max(1))),
    ]
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<String>().prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
            proptest::collection::btree_map("[a-z_]{1,12}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn input() -> impl Strategy<Value = Input> {
    prop_oneof![
        3 => text().prop_map(Input::Text),
        2 => (proptest::sample::select(PREFIXES), any::<String>())
            .prop_map(|(p, s)| Input::Press(format!("{p}{s}"))),
        1 => (0usize..4).prop_map(Input::Media),
        1 => text().prop_map(Input::Edited),
        1 => text().prop_map(Input::InGroup),
        1 => (
            prop_oneof![
                Just("message".to_owned()),
                Just("callback_query".to_owned()),
                Just("channel_post".to_owned()),
                Just("my_chat_member".to_owned()),
                "[a-z_]{1,20}",
            ],
            json_value()
        )
            .prop_map(|(k, v)| Input::Raw(k, v)),
    ]
}

/// Random updates from three people through the emulator: the bot stays up (a normal question
/// gets its normal answer after each batch), and nothing appears in the database that such input
/// could not make (no booking, waiting, subscription or outbox row; users and dialogues only of
/// the senders). The cases are drawn by proptest (without shrinking: each case runs against the
/// live bot); a failure prints the case.
#[sqlx::test]
async fn random_updates_leave_the_bot_serving_and_the_data_untouched(pool: PgPool) {
    let bot = bot(pool.clone()).await;
    let mut checker = bot.phone(999, Some("pl"));
    let expected = checker.ask(QUESTION).await;
    let senders: Vec<UserProfile> = (0..3)
        .map(|i| {
            UserProfile::new(
                900 + i,
                "Losowy",
                [Some("pl"), Some("en"), Some("xx")][i as usize],
            )
        })
        .collect();
    let group = GroupChat::group(-9090, "Losowa grupa");
    let mut runner = TestRunner::new(ProptestConfig {
        cases: 24,
        ..ProptestConfig::default()
    });
    let batch = proptest::collection::vec((0usize..3, input()), 1..8);
    for case in 0..24 {
        let inputs = batch
            .new_tree(&mut runner)
            .expect("a case is drawn")
            .current();
        for (n, (who, input)) in inputs.iter().enumerate() {
            let user = &senders[*who];
            let sent = match input.clone() {
                Input::Text(text) => {
                    bot.client
                        .send_update(
                            "message",
                            json!({ "chat": private(user), "from": user_json(user), "text": text }),
                        )
                        .await
                }
                Input::Press(data) => {
                    bot.client
                        .send_update("callback_query", press(user, 1, &data, case * 100 + n))
                        .await
                }
                Input::Media(kind) => {
                    let content = match kind {
                        0 => {
                            json!({ "sticker": { "file_id": "s", "file_unique_id": "us", "width": 1, "height": 1, "is_animated": false, "is_video": false, "type": "regular" } })
                        }
                        1 => json!({ "photo": [ file("p") ] }),
                        2 => json!({ "location": { "latitude": 50.3, "longitude": 18.9 } }),
                        _ => {
                            json!({ "voice": { "file_id": "v", "file_unique_id": "uv", "duration": 1 } })
                        }
                    };
                    bot.client.send_message_with(user, content).await
                }
                Input::Edited(text) => bot.client.edit_text(user, 1, &text).await,
                Input::InGroup(text) => bot.client.send_in_group(user, &group, &text).await,
                Input::Raw(kind, body) => bot.client.send_update(&kind, body).await,
            };
            sent.unwrap_or_else(|e| panic!("case {case}: the emulator refused {input:?}: {e}"));
        }
        let answer = tokio::time::timeout(Duration::from_secs(20), checker.ask(QUESTION))
            .await
            .unwrap_or_else(|_| panic!("case {case}: the bot stopped serving after {inputs:?}"));
        assert_eq!(answer, expected, "case {case}: {inputs:?}");
        for table in [
            "booking",
            "waiting",
            "subscription",
            "outbox_job",
            "announcement",
        ] {
            assert_eq!(
                count(&pool, &format!("select count(*) from {table}")).await,
                0,
                "case {case}: a {table} row after {inputs:?}"
            );
        }
        let allowed: BTreeSet<i64> = senders.iter().map(|u| u.id).chain([999]).collect();
        let users: Vec<i64> = sqlx::query_scalar("select telegram_id from telegram_user")
            .fetch_all(&pool)
            .await
            .expect("users");
        assert!(
            users.iter().all(|id| allowed.contains(id)),
            "case {case}: users {users:?} after {inputs:?}"
        );
        let dialogues: Vec<i64> = sqlx::query_scalar("select chat_id from dialogue")
            .fetch_all(&pool)
            .await
            .expect("dialogues");
        assert!(
            dialogues.iter().all(|id| allowed.contains(id)),
            "case {case}: dialogues {dialogues:?} after {inputs:?}"
        );
    }
    bot.assert_no_locale_problems();
}

fn user_json(user: &UserProfile) -> Value {
    let mut json = json!({ "id": user.id, "is_bot": false, "first_name": user.first_name });
    if let Some(code) = &user.language_code {
        json["language_code"] = json!(code);
    }
    json
}
