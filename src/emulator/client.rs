//! A client for the emulator's control endpoints, over HTTP: how tests play the user.

use std::time::Duration;

use anyhow::{bail, Context};
use serde::{de::DeserializeOwned, Deserialize};
use serde_json::{json, Map, Value};

use super::{
    faults::Fault,
    model::{ContactOwner, GroupChat, UserProfile, BOT_ID, BOT_NAME, BOT_USERNAME},
    state::{ChatMessage, Event},
};

#[derive(Clone)]
pub struct EmulatorClient {
    http: reqwest::Client,
    base: url::Url,
}

/// The ids of a message a user sent.
#[derive(Clone, Copy, Debug, Deserialize)]
pub struct Sent {
    pub update_id: i64,
    pub message_id: i64,
}

/// The ids of a button press.
#[derive(Clone, Debug, Deserialize)]
pub struct Pressed {
    pub update_id: i64,
    pub callback_query_id: String,
}

impl EmulatorClient {
    pub fn new(base: url::Url) -> Self {
        Self {
            http: reqwest::Client::new(),
            base,
        }
    }

    async fn answer<T: DeserializeOwned>(response: reqwest::Response) -> anyhow::Result<T> {
        let body: Value = response
            .json()
            .await
            .context("the emulator's answer is not JSON")?;
        if body["ok"] != json!(true) {
            bail!("the emulator refused: {}", body["description"]);
        }
        serde_json::from_value(body["result"].clone()).context("unexpected answer shape")
    }

    async fn post<T: DeserializeOwned>(&self, path: &str, body: Value) -> anyhow::Result<T> {
        let url = self.base.join(path)?;
        Self::answer(self.http.post(url).json(&body).send().await?).await
    }

    async fn get<T: DeserializeOwned>(&self, path: &str) -> anyhow::Result<T> {
        let url = self.base.join(path)?;
        Self::answer(self.http.get(url).send().await?).await
    }

    pub async fn send_text(&self, user: &UserProfile, text: &str) -> anyhow::Result<Sent> {
        self.post("_emulator/message", json!({ "user": user, "text": text }))
            .await
    }

    pub async fn send_contact(&self, user: &UserProfile, phone: &str) -> anyhow::Result<Sent> {
        self.send_contact_of(user, phone, ContactOwner::Sender)
            .await
    }

    /// Shares a contact card that may be someone else's, or no Telegram user's.
    pub async fn send_contact_of(
        &self,
        user: &UserProfile,
        phone: &str,
        owner: ContactOwner,
    ) -> anyhow::Result<Sent> {
        self.post(
            "_emulator/message",
            json!({ "user": user, "contact": phone, "contact_owner": owner }),
        )
        .await
    }

    pub async fn press(
        &self,
        user: &UserProfile,
        message_id: i64,
        data: &str,
    ) -> anyhow::Result<Pressed> {
        let body = json!({ "user": user, "message_id": message_id, "data": data });
        self.post("_emulator/callback", body).await
    }

    /// Any update: `kind` is its field (`message`, `edited_message`, `channel_post`,
    /// `callback_query`, `poll`, or any name at all) and `body` its value, sent as it is. For a
    /// message, a missing `message_id` and `date` are filled in (`message_id` is 0 in the answer
    /// for other kinds).
    pub async fn send_update(&self, kind: &str, body: Value) -> anyhow::Result<Sent> {
        self.post("_emulator/update", json!({ "kind": kind, "body": body }))
            .await
    }

    /// A private message from `user` carrying `content`: the message's own fields, such as
    /// `{"sticker": {..}}`, `{"photo": [..]}`, `{"voice": {..}}`, `{"location": {..}}`.
    pub async fn send_message_with(
        &self,
        user: &UserProfile,
        content: Value,
    ) -> anyhow::Result<Sent> {
        let mut message = json!({
            "chat": { "id": user.id, "type": "private", "first_name": user.first_name },
            "from": user.to_json(),
        });
        if let (Some(message), Value::Object(content)) = (message.as_object_mut(), content) {
            message.extend(content);
        }
        self.send_update("message", message).await
    }

    /// `user` edits their message `message_id` to `text`.
    pub async fn edit_text(
        &self,
        user: &UserProfile,
        message_id: i64,
        text: &str,
    ) -> anyhow::Result<Sent> {
        let message = json!({
            "message_id": message_id,
            "chat": { "id": user.id, "type": "private", "first_name": user.first_name },
            "from": user.to_json(),
            "text": text,
        });
        self.send_update("edited_message", message).await
    }

    /// `user` writes `text` in a group or supergroup the bot is in.
    pub async fn send_in_group(
        &self,
        user: &UserProfile,
        group: &GroupChat,
        text: &str,
    ) -> anyhow::Result<Sent> {
        let mut message = json!({ "chat": group.to_json(), "from": user.to_json(), "text": text });
        if let Some(length) = super::wire::command_length(text) {
            message["entities"] = json!([{ "type": "bot_command", "offset": 0, "length": length }]);
        }
        self.send_update("message", message).await
    }

    /// A post in a channel the bot is in (no sender: channels post as themselves).
    pub async fn channel_post(&self, channel: &GroupChat, text: &str) -> anyhow::Result<Sent> {
        let post =
            json!({ "chat": channel.to_json(), "sender_chat": channel.to_json(), "text": text });
        self.send_update("channel_post", post).await
    }

    /// `user` presses a button with `data` under a message of the bot in `group` (which the
    /// emulator need not have seen: a press from a group is what a test sends on purpose).
    pub async fn press_in_group(
        &self,
        user: &UserProfile,
        group: &GroupChat,
        message_id: i64,
        data: &str,
    ) -> anyhow::Result<Sent> {
        let bot = json!({ "id": BOT_ID, "is_bot": true, "first_name": BOT_NAME, "username": BOT_USERNAME });
        let query = json!({
            "id": format!("group-{}-{message_id}-{}", group.id, user.id),
            "from": user.to_json(),
            "message": {
                "message_id": message_id,
                "date": 0,
                "chat": group.to_json(),
                "from": bot,
                "text": "…",
            },
            "chat_instance": format!("ci{}", group.id),
            "data": data,
        });
        self.send_update("callback_query", query).await
    }

    /// The bot's actions after event number `after`, waiting up to `timeout` for the first.
    pub async fn events_after(&self, after: u64, timeout: Duration) -> anyhow::Result<Vec<Event>> {
        let path = format!(
            "_emulator/events?after={after}&timeout_ms={}",
            timeout.as_millis()
        );
        self.get(&path).await
    }

    pub async fn chat(&self, chat_id: i64) -> anyhow::Result<Vec<ChatMessage>> {
        self.get(&format!("_emulator/chats/{chat_id}")).await
    }

    /// The bytes of a document the bot sent in `chat_id` as message `message_id`.
    pub async fn file(&self, chat_id: i64, message_id: i64) -> anyhow::Result<Vec<u8>> {
        let url = self
            .base
            .join(&format!("_emulator/files/{chat_id}/{message_id}"))?;
        let response = self.http.get(url).send().await?;
        if !response.status().is_success() {
            bail!("no such file");
        }
        Ok(response.bytes().await?.to_vec())
    }

    pub async fn add_fault(&self, fault: Fault) -> anyhow::Result<()> {
        let _: bool = self
            .post("_emulator/faults", serde_json::to_value(fault)?)
            .await?;
        Ok(())
    }

    /// How many times the bot called each method (names in lower case).
    pub async fn calls(&self) -> anyhow::Result<Map<String, Value>> {
        self.get("_emulator/calls").await
    }

    /// How many long polls another getUpdates ended with a 409 (two pollers of one bot).
    pub async fn conflicts(&self) -> anyhow::Result<u64> {
        self.get("_emulator/conflicts").await
    }

    /// The commands the bot registered, by language code ("" for the default list).
    pub async fn commands(&self) -> anyhow::Result<Map<String, Value>> {
        self.get("_emulator/commands").await
    }
}
