//! The Bot API's JSON: the shapes of users, chats and messages, method parameters, and error
//! replies, written as Telegram writes them.

use serde_json::{json, Map, Value};

use super::model::{Button, UserProfile, BOT_ID, BOT_NAME, BOT_USERNAME};

/// An error reply: `{"ok":false,"error_code":..,"description":..}` with an HTTP status to match.
#[derive(Clone, Debug, PartialEq)]
pub struct ApiError {
    pub code: u16,
    pub description: String,
    pub retry_after: Option<u64>,
}

impl ApiError {
    pub fn bad_request(what: &str) -> Self {
        Self {
            code: 400,
            description: format!("Bad Request: {what}"),
            retry_after: None,
        }
    }

    pub fn unauthorized() -> Self {
        Self {
            code: 401,
            description: "Unauthorized".into(),
            retry_after: None,
        }
    }

    /// getUpdates while a webhook is set, as Telegram says it.
    pub fn webhook_active() -> Self {
        Self {
            code: 409,
            description:
                "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"
                    .into(),
            retry_after: None,
        }
    }

    pub fn method_not_found() -> Self {
        Self {
            code: 404,
            description: "Not Found: method not found".into(),
            retry_after: None,
        }
    }

    pub fn body(&self) -> Value {
        let mut body = json!({
            "ok": false,
            "error_code": self.code,
            "description": self.description,
        });
        if let Some(seconds) = self.retry_after {
            body["parameters"] = json!({ "retry_after": seconds });
        }
        body
    }
}

pub fn ok(result: Value) -> Value {
    json!({ "ok": true, "result": result })
}

pub fn bot_user() -> Value {
    json!({ "id": BOT_ID, "is_bot": true, "first_name": BOT_NAME, "username": BOT_USERNAME })
}

pub fn get_me() -> Value {
    let mut me = bot_user();
    me["can_join_groups"] = json!(false);
    me["can_read_all_group_messages"] = json!(false);
    me["supports_inline_queries"] = json!(false);
    me["can_connect_to_business"] = json!(false);
    me["has_main_web_app"] = json!(false);
    me
}

pub fn private_chat(user: &UserProfile) -> Value {
    json!({ "id": user.id, "type": "private", "first_name": user.first_name })
}

/// The length of a leading `/command` (with an optional `@botname`), as a bot_command entity.
pub fn command_length(text: &str) -> Option<usize> {
    if !text.starts_with('/') {
        return None;
    }
    let end = text.find(char::is_whitespace).unwrap_or(text.len());
    // Telegram counts entity offsets in UTF-16 code units.
    Some(text[..end].encode_utf16().count()).filter(|len| *len > 1)
}

/// A method's parameters, from a JSON body, a form, a query string or multipart fields.
#[derive(Debug, Default)]
pub struct Params {
    pub fields: Map<String, Value>,
    /// Uploaded files by field name: (file name, bytes).
    pub files: Vec<(String, String, Vec<u8>)>,
}

impl Params {
    pub fn str(&self, name: &str) -> Option<String> {
        match self.fields.get(name)? {
            Value::String(s) => Some(s.clone()),
            Value::Null => None,
            other => Some(other.to_string()),
        }
    }

    pub fn int(&self, name: &str) -> Option<i64> {
        match self.fields.get(name)? {
            Value::Number(n) => n.as_i64(),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    pub fn float(&self, name: &str) -> Option<f64> {
        match self.fields.get(name)? {
            Value::Number(n) => n.as_f64(),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    pub fn required_int(&self, name: &str) -> Result<i64, ApiError> {
        match self.fields.get(name) {
            None => Err(ApiError::bad_request(&format!("{name} is empty"))),
            Some(_) => self
                .int(name)
                .ok_or_else(|| ApiError::bad_request(&format!("invalid {name} specified"))),
        }
    }

    /// `chat_id`: a number, or a string holding one (this emulator has no public usernames).
    pub fn chat_id(&self) -> Result<i64, ApiError> {
        match self.fields.get("chat_id") {
            None => Err(ApiError::bad_request("chat_id is empty")),
            Some(_) => self
                .int("chat_id")
                .ok_or_else(|| ApiError::bad_request("chat not found")),
        }
    }

    /// `reply_markup` arrives as an object in JSON bodies and as a JSON string in forms.
    pub fn json(&self, name: &str) -> Result<Option<Value>, ApiError> {
        match self.fields.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => serde_json::from_str(s)
                .map(Some)
                .map_err(|_| ApiError::bad_request(&format!("can't parse {name} JSON object"))),
            Some(other) => Ok(Some(other.clone())),
        }
    }
}

/// What a sent message carries, by kind.
pub enum Content {
    Text {
        text: String,
        markup: Option<Value>,
    },
    Venue {
        latitude: f64,
        longitude: f64,
        title: String,
        address: String,
        markup: Option<Value>,
    },
    Location {
        latitude: f64,
        longitude: f64,
        markup: Option<Value>,
    },
    Document {
        file_name: String,
        bytes: Vec<u8>,
        caption: Option<String>,
        markup: Option<Value>,
    },
}

impl Content {
    fn markup(&self) -> Option<&Value> {
        match self {
            Content::Text { markup, .. }
            | Content::Venue { markup, .. }
            | Content::Location { markup, .. }
            | Content::Document { markup, .. } => markup.as_ref(),
        }
    }

    pub fn write_into(&self, message: &mut Value) {
        match self {
            Content::Text { text, .. } => message["text"] = json!(text),
            Content::Venue {
                latitude,
                longitude,
                title,
                address,
                ..
            } => {
                let location = json!({ "latitude": latitude, "longitude": longitude });
                message["location"] = location.clone();
                message["venue"] =
                    json!({ "location": location, "title": title, "address": address });
            }
            Content::Location {
                latitude,
                longitude,
                ..
            } => {
                message["location"] = json!({ "latitude": latitude, "longitude": longitude });
            }
            Content::Document {
                file_name,
                bytes,
                caption,
                ..
            } => {
                message["document"] = json!({
                    "file_id": format!("doc-{}", message["message_id"]),
                    "file_unique_id": format!("udoc-{}", message["message_id"]),
                    "file_name": file_name,
                    "file_size": bytes.len(),
                });
                if let Some(caption) = caption {
                    message["caption"] = json!(caption);
                }
            }
        }
        // Only inline keyboards are echoed back in the message, as Telegram does.
        if let Some(markup) = self.markup().filter(|m| m.get("inline_keyboard").is_some()) {
            message["reply_markup"] = markup.clone();
        }
    }

    pub fn shown_text(&self) -> String {
        match self {
            Content::Text { text, .. } => text.clone(),
            Content::Venue { title, address, .. } => format!("{title}\n{address}"),
            Content::Location {
                latitude,
                longitude,
                ..
            } => format!("[location] {latitude}, {longitude}"),
            Content::Document { caption, .. } => caption.clone().unwrap_or_default(),
        }
    }

    pub fn inline_keyboard(&self) -> Vec<Vec<Button>> {
        inline_keyboard(self.markup())
    }

    /// The reply keyboard a message sets: Some(rows), Some(empty) when it removes the keyboard.
    pub fn reply_keyboard(&self) -> Option<Vec<Vec<Button>>> {
        let markup = self.markup()?;
        if markup.get("remove_keyboard").and_then(Value::as_bool) == Some(true) {
            return Some(Vec::new());
        }
        let rows = markup.get("keyboard")?.as_array()?;
        Some(rows.iter().map(buttons).collect())
    }

    pub fn document(&self) -> Option<(String, usize)> {
        match self {
            Content::Document {
                file_name, bytes, ..
            } => Some((file_name.clone(), bytes.len())),
            _ => None,
        }
    }

    pub fn document_bytes(&self) -> Option<Vec<u8>> {
        match self {
            Content::Document { bytes, .. } => Some(bytes.clone()),
            _ => None,
        }
    }
}

pub fn inline_keyboard(markup: Option<&Value>) -> Vec<Vec<Button>> {
    markup
        .and_then(|m| m.get("inline_keyboard"))
        .and_then(Value::as_array)
        .map(|rows| rows.iter().map(buttons).collect())
        .unwrap_or_default()
}

fn buttons(row: &Value) -> Vec<Button> {
    row.as_array()
        .map(|row| {
            row.iter()
                .map(|b| match b {
                    // Reply keyboards may hold plain strings.
                    Value::String(text) => Button {
                        text: text.clone(),
                        callback_data: None,
                        url: None,
                        request_contact: false,
                    },
                    _ => Button {
                        text: b["text"].as_str().unwrap_or_default().to_owned(),
                        callback_data: b["callback_data"].as_str().map(str::to_owned),
                        url: b["url"].as_str().map(str::to_owned),
                        request_contact: b["request_contact"].as_bool().unwrap_or(false),
                    },
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Checks a keyboard as Telegram does: callback data of 1–64 bytes, no empty button text.
pub fn check_markup(markup: Option<&Value>) -> Result<(), ApiError> {
    for row in inline_keyboard(markup) {
        for button in row {
            if button.text.is_empty() {
                return Err(ApiError::bad_request(
                    "text buttons are unallowed in the inline keyboard",
                ));
            }
            if let Some(data) = &button.callback_data {
                if data.is_empty() || data.len() > 64 {
                    return Err(ApiError::bad_request("BUTTON_DATA_INVALID"));
                }
            }
        }
    }
    Ok(())
}

/// Telegram refuses empty texts and texts over 4096 characters.
pub fn check_text(text: Option<String>) -> Result<String, ApiError> {
    let text = text.unwrap_or_default();
    if text.trim().is_empty() {
        return Err(ApiError::bad_request("message text is empty"));
    }
    if text.chars().count() > 4096 {
        return Err(ApiError::bad_request("message is too long"));
    }
    Ok(text)
}
