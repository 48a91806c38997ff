//! What both sides of the emulator speak of: the bot's own account, a user, a button. The wire
//! format and the emulator's memory both build on these.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// The bot's own account, as `getMe` reports it.
pub const BOT_ID: i64 = 7_000_000_001;
pub const BOT_USERNAME: &str = "okienko_bot";
pub const BOT_NAME: &str = "Okienko";

/// A person on the other side of the chat, as Telegram describes them in updates.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct UserProfile {
    pub id: i64,
    pub first_name: String,
    /// The language of the user's Telegram app, which the bot may use as a hint.
    #[serde(default)]
    pub language_code: Option<String>,
}

impl UserProfile {
    pub fn new(id: i64, first_name: &str, language_code: Option<&str>) -> Self {
        Self {
            id,
            first_name: first_name.to_owned(),
            language_code: language_code.map(str::to_owned),
        }
    }

    pub(crate) fn to_json(&self) -> Value {
        let mut user = json!({ "id": self.id, "is_bot": false, "first_name": self.first_name });
        if let Some(code) = &self.language_code {
            user["language_code"] = json!(code);
        }
        user
    }
}

/// Whose number a shared contact is: Telegram fills `user_id` only for a contact of a Telegram user.
#[derive(Clone, Copy, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ContactOwner {
    /// The sender's own number ("Share my number"): `user_id` is the sender's.
    #[default]
    Sender,
    /// Someone else's Telegram account: `user_id` is theirs.
    User(i64),
    /// A number from the phone book of no Telegram user: no `user_id`.
    Nobody,
}

/// A chat that is not private: a group, a supergroup or a channel (its id is negative on Telegram).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct GroupChat {
    pub id: i64,
    /// `group`, `supergroup` or `channel`.
    pub kind: String,
    pub title: String,
}

impl GroupChat {
    pub fn group(id: i64, title: &str) -> Self {
        Self::of_kind(id, "group", title)
    }

    pub fn supergroup(id: i64, title: &str) -> Self {
        Self::of_kind(id, "supergroup", title)
    }

    pub fn channel(id: i64, title: &str) -> Self {
        Self::of_kind(id, "channel", title)
    }

    fn of_kind(id: i64, kind: &str, title: &str) -> Self {
        Self {
            id,
            kind: kind.to_owned(),
            title: title.to_owned(),
        }
    }

    pub fn to_json(&self) -> Value {
        json!({ "id": self.id, "type": self.kind, "title": self.title })
    }
}

/// One button of a keyboard the bot attached to a message.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Button {
    pub text: String,
    /// Set for inline buttons that send a callback query.
    #[serde(default)]
    pub callback_data: Option<String>,
    /// Set for inline buttons that open an address.
    #[serde(default)]
    pub url: Option<String>,
    /// Set for reply-keyboard buttons that share the user's phone number.
    #[serde(default)]
    pub request_contact: bool,
}
