//! The Bot API emulator on its own: driven by teloxide's client, as the bot drives it, and by raw
//! HTTP, it answers with Telegram's shapes and Telegram's errors.

use std::net::SocketAddr;

use okienko::emulator::{Emulator, EmulatorClient, EmulatorHandle, EventKind, UserProfile};
use serde_json::{json, Value};
use teloxide::{
    prelude::*,
    types::{InlineKeyboardButton, InlineKeyboardMarkup, InputFile, UpdateKind},
    ApiError, RequestError,
};

const TOKEN: &str = "4242:emulator-test-token-0000000000";

async fn start() -> (EmulatorHandle, Bot, EmulatorClient) {
    let handle = Emulator::new(TOKEN)
        .serve(SocketAddr::from(([127, 0, 0, 1], 0)))
        .await
        .expect("serves");
    let bot = Bot::new(TOKEN).set_api_url(handle.url.clone());
    let client = EmulatorClient::new(handle.url.clone());
    (handle, bot, client)
}

fn api_error<T: std::fmt::Debug>(result: Result<T, RequestError>) -> ApiError {
    match result {
        Err(RequestError::Api(error)) => error,
        other => panic!("expected a Telegram error, got {other:?}"),
    }
}

#[tokio::test]
async fn get_me_and_a_refused_token() {
    let (handle, bot, _) = start().await;
    let me = bot.get_me().await.expect("getMe");
    assert!(me.user.is_bot);
    assert_eq!(me.user.username.as_deref(), Some("okienko_bot"));
    let stranger = Bot::new("1:not-the-right-token-at-all").set_api_url(handle.url.clone());
    assert_eq!(api_error(stranger.get_me().await), ApiError::InvalidToken);
}

#[tokio::test]
async fn updates_are_long_polled_and_confirmed_by_offset() {
    let (_handle, bot, client) = start().await;
    let user = UserProfile::new(7, "Ala", Some("pl"));
    client.send_text(&user, "/start").await.expect("sent");
    client
        .send_text(&user, "kiedy jest prawnik?")
        .await
        .expect("sent");
    let updates = bot.get_updates().timeout(1).await.expect("updates");
    assert_eq!(updates.len(), 2);
    let UpdateKind::Message(first) = &updates[0].kind else {
        panic!("a message")
    };
    assert_eq!(first.text(), Some("/start"));
    assert_eq!(
        first.from.as_ref().and_then(|u| u.language_code.as_deref()),
        Some("pl")
    );
    assert_eq!(first.chat.id, ChatId(7));
    // Asking from past the last id confirms both: they are not given again.
    let next = updates[1].id.0 + 1;
    let again = bot
        .get_updates()
        .offset(next as i32)
        .timeout(0)
        .await
        .expect("updates");
    assert!(again.is_empty());
    // A long poll returns as soon as something arrives.
    let waiting = tokio::spawn({
        let bot = bot.clone();
        async move { bot.get_updates().offset(next as i32).timeout(10).await }
    });
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    client.send_text(&user, "dziękuję").await.expect("sent");
    let arrived = tokio::time::timeout(std::time::Duration::from_secs(3), waiting)
        .await
        .expect("in time")
        .expect("joined");
    assert_eq!(arrived.expect("updates").len(), 1);
}

#[tokio::test]
async fn messages_are_sent_edited_and_deleted_with_telegrams_errors() {
    let (_handle, bot, client) = start().await;
    let user = UserProfile::new(8, "Jan", None);
    assert_eq!(
        api_error(bot.send_message(ChatId(8), "hello").await),
        ApiError::ChatNotFound
    );
    client.send_text(&user, "hi").await.expect("sent");
    let keyboard = InlineKeyboardMarkup::new([[InlineKeyboardButton::callback("A", "a")]]);
    let sent = bot
        .send_message(ChatId(8), "first")
        .reply_markup(keyboard.clone())
        .await
        .expect("sent");
    assert_eq!(sent.text(), Some("first"));
    let edited = bot
        .edit_message_text(ChatId(8), sent.id, "second")
        .reply_markup(keyboard.clone())
        .await
        .expect("edited");
    assert_eq!(edited.text(), Some("second"));
    assert_eq!(
        api_error(
            bot.edit_message_text(ChatId(8), sent.id, "second")
                .reply_markup(keyboard)
                .await
        ),
        ApiError::MessageNotModified
    );
    bot.edit_message_reply_markup(ChatId(8), sent.id)
        .await
        .expect("keyboard removed");
    bot.delete_message(ChatId(8), sent.id)
        .await
        .expect("deleted");
    assert_eq!(
        api_error(bot.edit_message_text(ChatId(8), sent.id, "third").await),
        ApiError::MessageToEditNotFound
    );
    assert_eq!(
        api_error(bot.delete_message(ChatId(8), sent.id).await),
        ApiError::MessageToDeleteNotFound
    );
    assert_eq!(
        api_error(bot.send_message(ChatId(8), " ").await),
        ApiError::MessageTextIsEmpty
    );
    let events = client
        .events_after(0, std::time::Duration::ZERO)
        .await
        .expect("events");
    let kinds: Vec<&str> = events
        .iter()
        .map(|e| match e.kind {
            EventKind::Sent { .. } => "sent",
            EventKind::Edited { .. } => "edited",
            EventKind::Deleted { .. } => "deleted",
            EventKind::CallbackAnswered { .. } => "answered",
        })
        .collect();
    assert_eq!(kinds, ["sent", "edited", "edited", "deleted"]);
}

#[tokio::test]
async fn places_files_and_button_answers() {
    let (_handle, bot, client) = start().await;
    let user = UserProfile::new(9, "Ewa", Some("en"));
    client.send_text(&user, "hi").await.expect("sent");
    let venue = bot
        .send_venue(ChatId(9), 50.3, 18.95, "CPS", "ul. Kasprowicza 2")
        .await
        .expect("venue");
    assert_eq!(venue.venue().map(|v| v.title.as_str()), Some("CPS"));
    let location = bot
        .send_location(ChatId(9), 50.3, 18.95)
        .await
        .expect("location");
    assert!(location.location().is_some());
    let file =
        InputFile::memory(b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n".to_vec()).file_name("visit.ics");
    let document = bot
        .send_document(ChatId(9), file)
        .caption("calendar")
        .await
        .expect("document");
    assert_eq!(
        document.document().and_then(|d| d.file_name.as_deref()),
        Some("visit.ics")
    );
    let bytes = client.file(9, document.id.0 as i64).await.expect("bytes");
    assert_eq!(bytes, b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n");
    // A button press, answered once; a second answer is refused as Telegram refuses it.
    let keyboard = InlineKeyboardMarkup::new([[InlineKeyboardButton::callback("Go", "go")]]);
    let message = bot
        .send_message(ChatId(9), "press")
        .reply_markup(keyboard)
        .await
        .expect("sent");
    let pressed = client
        .press(&user, message.id.0 as i64, "go")
        .await
        .expect("pressed");
    let updates = bot.get_updates().timeout(1).await.expect("updates");
    let UpdateKind::CallbackQuery(query) = &updates.last().expect("an update").kind else {
        panic!("a press")
    };
    assert_eq!(query.data.as_deref(), Some("go"));
    assert_eq!(query.id.0, pressed.callback_query_id);
    bot.answer_callback_query(query.id.clone())
        .text("done")
        .await
        .expect("answered");
    assert_eq!(
        api_error(bot.answer_callback_query(query.id.clone()).await),
        ApiError::InvalidQueryId
    );
}

#[tokio::test]
async fn the_wire_speaks_json_forms_and_telegrams_error_shape() {
    let (handle, _, client) = start().await;
    client
        .send_text(&UserProfile::new(10, "Ola", None), "hi")
        .await
        .expect("sent");
    let http = reqwest::Client::new();
    let url = |method: &str| {
        handle
            .url
            .join(&format!("/bot{TOKEN}/{method}"))
            .expect("url")
    };
    // A form, with a keyboard as a JSON string, as some clients send.
    let form = [
        ("chat_id", "10"),
        ("text", "from a form"),
        (
            "reply_markup",
            r#"{"inline_keyboard":[[{"text":"A","callback_data":"a"}]]}"#,
        ),
    ];
    let body: Value = http
        .post(url("sendMessage"))
        .form(&form)
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("json");
    assert_eq!(body["ok"], json!(true));
    assert_eq!(
        body["result"]["reply_markup"]["inline_keyboard"][0][0]["text"],
        json!("A")
    );
    // Unknown methods and bad tokens get Telegram's error shape and status.
    let response = http
        .post(url("sendTelepathy"))
        .json(&json!({}))
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 404);
    let body: Value = response.json().await.expect("json");
    assert_eq!(
        body,
        json!({ "ok": false, "error_code": 404, "description": "Not Found: method not found" })
    );
    let wrong = handle.url.join("/bot1:wrong/getMe").expect("url");
    let response = http.get(wrong).send().await.expect("sent");
    assert_eq!(response.status(), 401);
    // Callback data over 64 bytes is refused, as on Telegram.
    let long = "x".repeat(65);
    let markup = json!({ "inline_keyboard": [[{ "text": "A", "callback_data": long }]] });
    let body: Value = http
        .post(url("sendMessage"))
        .json(&json!({ "chat_id": 10, "text": "t", "reply_markup": markup }))
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("json");
    assert_eq!(
        body["description"],
        json!("Bad Request: BUTTON_DATA_INVALID")
    );
}

/// The load bench's way of using the emulator: a followed chat gets each of the bot's calls there
/// as it happens, a chat met without an update can be written to, and without history the log
/// stays empty and a chat keeps only its recent messages (their buttons still work).
#[tokio::test]
async fn a_followed_chat_without_history_keeps_only_recent_messages() {
    let (handle, bot, _client) = start().await;
    let emulator = handle.emulator.clone();
    emulator.keep_history(false).await;
    let user = UserProfile::new(9, "Ola", None);
    emulator.meet(&user).await;
    let mut events = emulator.listen_chat(9).await;
    let other = emulator.listen_chat(10).await;
    let before = std::time::Instant::now();
    let keyboard = InlineKeyboardMarkup::new([[InlineKeyboardButton::callback("A", "a")]]);
    for i in 0..100 {
        bot.send_message(ChatId(9), format!("message {i}"))
            .reply_markup(keyboard.clone())
            .await
            .expect("sent to a chat met without an update");
    }
    for i in 0..100 {
        let (at, event) = events.try_recv().expect("every call is followed");
        assert!(at >= before);
        match event.kind {
            EventKind::Sent { message } => assert_eq!(message.text, format!("message {i}")),
            other => panic!("expected a sent message, got {other:?}"),
        }
    }
    assert!(events.try_recv().is_err(), "nothing else happened");
    drop(other);
    assert!(
        emulator
            .events_after(0, std::time::Duration::ZERO)
            .await
            .is_empty(),
        "no log is kept"
    );
    assert_eq!(
        emulator.last_event_seq().await,
        100,
        "events are still numbered"
    );
    let chat = emulator.chat(9).await;
    assert!(chat.len() <= 32, "{} messages kept", chat.len());
    let newest = chat.last().expect("the newest is kept");
    assert_eq!(newest.text, "message 99");
    emulator
        .press(&user, newest.message_id, "a")
        .await
        .expect("a recent message's button works");
}
