//! The emulator's memory: users' updates waiting for the bot, the chats, and the event log.

use std::collections::{HashMap, HashSet, VecDeque};
use std::time::Instant;

use tokio::sync::mpsc;

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::faults::Faults;
use super::model::{Button, ContactOwner, UserProfile};
use super::wire::{self, ApiError};

/// The kinds of update the Bot API has (the fields of an Update besides `update_id`).
const UPDATE_KINDS: &[&str] = &[
    "message",
    "edited_message",
    "channel_post",
    "edited_channel_post",
    "business_connection",
    "business_message",
    "edited_business_message",
    "deleted_business_messages",
    "message_reaction",
    "message_reaction_count",
    "inline_query",
    "chosen_inline_result",
    "callback_query",
    "shipping_query",
    "pre_checkout_query",
    "purchased_paid_media",
    "poll",
    "poll_answer",
    "my_chat_member",
    "chat_member",
    "chat_join_request",
    "chat_boost",
    "removed_chat_boost",
];

/// The webhook as setWebhook gave it.
#[derive(Clone, Debug, PartialEq)]
pub struct Webhook {
    pub url: String,
    pub secret: Option<String>,
    pub max_connections: usize,
}

/// The chat an update belongs to (its message's, or its button's), if any.
fn update_chat(update: &Value) -> Option<i64> {
    let object = update.as_object()?;
    let (_, body) = object.iter().find(|(k, _)| *k != "update_id")?;
    body["chat"]["id"]
        .as_i64()
        .or(body["message"]["chat"]["id"].as_i64())
        .or(body["from"]["id"].as_i64())
}

/// A message in a chat, as it stands now (after any edits).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct ChatMessage {
    pub message_id: i64,
    pub chat_id: i64,
    pub from_bot: bool,
    /// The text a person sees: a message's text, a document's caption, a venue's title and address.
    pub text: String,
    /// Inline keyboard rows.
    pub inline_keyboard: Vec<Vec<Button>>,
    /// A reply keyboard shown under the input field, when the message set one (empty: removed).
    pub reply_keyboard: Option<Vec<Vec<Button>>>,
    /// A document's file name and size, for messages that carry one.
    pub document: Option<(String, usize)>,
    /// The file's bytes; not sent over the control API, which gives the size instead.
    #[serde(skip)]
    pub document_bytes: Option<Vec<u8>>,
    pub deleted: bool,
    pub date: i64,
    /// The Bot API JSON of the message as last sent or edited.
    #[serde(skip)]
    pub(crate) raw: Value,
}

/// What the bot did, in the order it did it.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Event {
    pub seq: u64,
    pub chat_id: i64,
    pub kind: EventKind,
    /// When the emulator took the call, in milliseconds since it started.
    #[serde(default)]
    pub at_ms: u64,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum EventKind {
    /// The bot sent a new message.
    Sent {
        message: ChatMessage,
    },
    /// The bot edited one of its messages (text or keyboard).
    Edited {
        message: ChatMessage,
    },
    Deleted {
        message_id: i64,
    },
    /// The bot answered a button press (the small notice on the user's screen).
    CallbackAnswered {
        callback_query_id: String,
        text: Option<String>,
    },
}

#[derive(Default)]
struct Chat {
    messages: Vec<ChatMessage>,
    user: Option<UserProfile>,
    /// A group's, supergroup's or channel's own description (`None` for a private chat).
    group: Option<Value>,
}

/// The emulator's whole state, behind one lock.
pub(crate) struct State {
    pub token: String,
    next_update_id: i64,
    /// Updates the bot has not confirmed yet (getUpdates with a higher offset confirms them).
    updates: VecDeque<(i64, Value)>,
    chats: HashMap<i64, Chat>,
    next_message_id: i64,
    next_callback_id: u64,
    /// Callback queries not answered yet, by id.
    open_callbacks: HashMap<String, i64>,
    events: Vec<Event>,
    pub faults: Faults,
    /// How many times each method was called (case-folded name), faults included.
    pub calls: HashMap<String, u64>,
    /// Long polls ended by another getUpdates (Telegram's 409 to two pollers of one bot).
    pub poll_conflicts: u64,
    pub commands: HashMap<String, Value>,
    pub webhook_deleted: bool,
    /// The webhook set by setWebhook, if any: updates are then posted to it, not polled.
    pub webhook: Option<Webhook>,
    /// When and why the last post to the webhook failed.
    pub webhook_error: Option<(i64, String)>,
    /// Updates being posted now, and their chats (one post at a time per chat, in order).
    posting: HashSet<i64>,
    posting_chats: HashSet<i64>,
    /// Updates whose post failed, and when they may be posted again.
    retry_at: HashMap<i64, std::time::Instant>,
    /// The kinds of update the bot asked for (`allowed_updates` of getUpdates); empty: Telegram's
    /// default, every kind but `chat_member`, `message_reaction` and `message_reaction_count`.
    pub allowed_updates: Vec<String>,
    started: std::time::Instant,
    /// The number of the last event recorded (the log may keep none: see `keep_history`).
    last_seq: u64,
    /// Whether the event log and the chats keep everything (the default, for tests and the
    /// terminal). A load run turns it off: no log, and only the last few messages of each chat.
    keep_history: bool,
    /// Chats someone follows in process (the load bench): each event of the chat is also sent
    /// there, with the instant it was recorded.
    listeners: HashMap<i64, mpsc::UnboundedSender<(Instant, Event)>>,
}

/// Messages a chat keeps when the history is not kept: enough for buttons under recent messages.
const RECENT_MESSAGES: usize = 16;

impl State {
    pub fn new(token: String) -> Self {
        Self {
            token,
            next_update_id: 1,
            updates: VecDeque::new(),
            chats: HashMap::new(),
            next_message_id: 1,
            next_callback_id: 1,
            open_callbacks: HashMap::new(),
            events: Vec::new(),
            faults: Faults::default(),
            calls: HashMap::new(),
            poll_conflicts: 0,
            commands: HashMap::new(),
            webhook_deleted: false,
            webhook: None,
            webhook_error: None,
            posting: HashSet::new(),
            posting_chats: HashSet::new(),
            retry_at: HashMap::new(),
            allowed_updates: Vec::new(),
            started: std::time::Instant::now(),
            last_seq: 0,
            keep_history: true,
            listeners: HashMap::new(),
        }
    }

    pub fn keep_history(&mut self, keep: bool) {
        self.keep_history = keep;
    }

    pub fn listen_chat(&mut self, chat_id: i64, sender: mpsc::UnboundedSender<(Instant, Event)>) {
        self.listeners.insert(chat_id, sender);
    }

    /// Adds a message to a chat, dropping the oldest when the history is not kept.
    fn keep_message(chat: &mut Chat, message: ChatMessage, keep_history: bool) {
        chat.messages.push(message);
        if !keep_history && chat.messages.len() > 2 * RECENT_MESSAGES {
            chat.messages.drain(..RECENT_MESSAGES);
        }
    }

    fn push_update(&mut self, body: (&str, Value)) -> i64 {
        let update_id = self.next_update_id;
        self.next_update_id += 1;
        let mut update = json!({ "update_id": update_id });
        update[body.0] = body.1;
        self.updates.push_back((update_id, update));
        update_id
    }

    fn take_message_id(&mut self) -> i64 {
        let id = self.next_message_id;
        self.next_message_id += 1;
        id
    }

    /// A private chat with `user` exists, as it does once they have written, without an update.
    pub fn meet(&mut self, user: &UserProfile) {
        self.chats.entry(user.id).or_default().user = Some(user.clone());
    }

    /// A user writes to the bot (text, or a shared contact when `contact` is given).
    pub fn user_message(
        &mut self,
        user: &UserProfile,
        text: Option<&str>,
        contact: Option<(&str, ContactOwner)>,
        now: i64,
    ) -> (i64, i64) {
        let message_id = self.take_message_id();
        let mut message = json!({
            "message_id": message_id,
            "date": now,
            "chat": wire::private_chat(user),
            "from": user.to_json(),
        });
        let shown = if let Some((phone, owner)) = contact {
            message["contact"] = json!({
                "phone_number": phone,
                "first_name": user.first_name,
            });
            match owner {
                ContactOwner::Sender => message["contact"]["user_id"] = json!(user.id),
                ContactOwner::User(id) => message["contact"]["user_id"] = json!(id),
                ContactOwner::Nobody => {}
            }
            format!("[contact] {phone}")
        } else {
            let text = text.unwrap_or_default();
            message["text"] = json!(text);
            if let Some(command_len) = wire::command_length(text) {
                message["entities"] =
                    json!([{ "type": "bot_command", "offset": 0, "length": command_len }]);
            }
            text.to_owned()
        };
        let chat = self.chats.entry(user.id).or_default();
        chat.user = Some(user.clone());
        let keep_history = self.keep_history;
        Self::keep_message(
            chat,
            ChatMessage {
                message_id,
                chat_id: user.id,
                from_bot: false,
                text: shown,
                inline_keyboard: Vec::new(),
                reply_keyboard: None,
                document: None,
                document_bytes: None,
                deleted: false,
                date: now,
                raw: message.clone(),
            },
            keep_history,
        );
        let update_id = self.push_update(("message", message));
        (update_id, message_id)
    }

    /// A user presses an inline button under one of the bot's messages in their chat.
    /// The data need not be on the message: a forged press is what the tests send on purpose.
    pub fn user_callback(
        &mut self,
        user: &UserProfile,
        message_id: i64,
        data: &str,
    ) -> Result<(i64, String), ApiError> {
        let raw = self
            .chats
            .get(&user.id)
            .and_then(|chat| chat.messages.iter().find(|m| m.message_id == message_id))
            .filter(|m| m.from_bot && !m.deleted)
            .map(|m| m.raw.clone())
            .ok_or_else(|| ApiError::bad_request("message not found"))?;
        let id = format!("{}", 4_000_000_000_000u64 + self.next_callback_id);
        self.next_callback_id += 1;
        self.open_callbacks.insert(id.clone(), user.id);
        let query = json!({
            "id": id,
            "from": user.to_json(),
            "message": raw,
            "chat_instance": format!("ci{}", user.id),
            "data": data,
        });
        let update_id = self.push_update(("callback_query", query));
        Ok((update_id, id))
    }

    /// Any update as the test writes it: `kind` is the update's field (`message`, `edited_message`,
    /// `channel_post`, `callback_query`, or one the bot does not know) and `body` its value. For
    /// messages, a missing `message_id` and `date` are filled in, and the chat is remembered (a
    /// group's too, so that the bot can answer there). Returns (update id, message id or 0).
    pub fn user_update(&mut self, kind: &str, mut body: Value, now: i64) -> (i64, i64) {
        let message_like = matches!(
            kind,
            "message" | "edited_message" | "channel_post" | "edited_channel_post"
        );
        let mut message_id = 0;
        if message_like && body.is_object() {
            message_id = match body.get("message_id").and_then(Value::as_i64) {
                Some(id) => id,
                None => {
                    let id = self.take_message_id();
                    body["message_id"] = json!(id);
                    id
                }
            };
            if body.get("date").is_none() {
                body["date"] = json!(now);
            }
            if kind.starts_with("edited") && body.get("edit_date").is_none() {
                body["edit_date"] = json!(now);
            }
            if let Some(chat_id) = body["chat"]["id"].as_i64() {
                let chat = self.chats.entry(chat_id).or_default();
                if body["chat"]["type"] == "private" {
                    if let Ok(user) = serde_json::from_value::<UserProfile>(body["from"].clone()) {
                        chat.user = Some(user);
                    }
                } else if body["chat"].is_object() {
                    chat.group = Some(body["chat"].clone());
                }
                if !kind.starts_with("edited") {
                    chat.messages.push(ChatMessage {
                        message_id,
                        chat_id,
                        from_bot: false,
                        text: body["text"]
                            .as_str()
                            .or(body["caption"].as_str())
                            .unwrap_or_default()
                            .to_owned(),
                        inline_keyboard: Vec::new(),
                        reply_keyboard: None,
                        document: None,
                        document_bytes: None,
                        deleted: false,
                        date: now,
                        raw: body.clone(),
                    });
                }
            }
        }
        if kind == "callback_query" {
            if let Some(id) = body["id"].as_str() {
                let chat_id = body["message"]["chat"]["id"]
                    .as_i64()
                    .or(body["from"]["id"].as_i64())
                    .unwrap_or_default();
                self.open_callbacks.insert(id.to_owned(), chat_id);
            }
        }
        let update_id = self.push_update((kind, body));
        (update_id, message_id)
    }

    /// Updates from `offset` on; older ones count as confirmed and are forgotten, and those of a
    /// kind the bot did not ask for are dropped, as Telegram drops them. A kind Telegram does not
    /// have (a test's invention, or one added after the bot was written) is always delivered.
    pub fn updates_from(&mut self, offset: i64, limit: usize) -> Vec<Value> {
        while self.updates.front().is_some_and(|(id, _)| *id < offset) {
            self.updates.pop_front();
        }
        self.drop_unwanted();
        self.updates
            .iter()
            .take(limit)
            .map(|(_, u)| u.clone())
            .collect()
    }

    /// Drops the updates of a kind the bot did not ask for, as Telegram does.
    fn drop_unwanted(&mut self) {
        let allowed = &self.allowed_updates;
        self.updates.retain(|(_, update)| {
            let Some(kind) = update
                .as_object()
                .and_then(|u| u.keys().find(|k| *k != "update_id"))
            else {
                return true;
            };
            if !UPDATE_KINDS.contains(&kind.as_str()) {
                return true;
            }
            if allowed.is_empty() {
                !matches!(
                    kind.as_str(),
                    "chat_member" | "message_reaction" | "message_reaction_count"
                )
            } else {
                allowed.iter().any(|a| a == kind)
            }
        });
    }

    /// Updates to post to the webhook now (at most `limit` posts at a time, one per chat, the
    /// oldest first, none waiting for a retry), marked as being posted.
    pub fn take_to_post(&mut self, limit: usize) -> Vec<(i64, Value)> {
        if self.webhook.is_none() {
            return Vec::new();
        }
        self.drop_unwanted();
        let now = std::time::Instant::now();
        let mut taken = Vec::new();
        let mut chats_seen = HashSet::new();
        for (id, update) in &self.updates {
            if self.posting.len() + taken.len() >= limit {
                break;
            }
            let chat = update_chat(update);
            // An earlier update of the chat waits: this one waits behind it.
            let first_of_chat = chat.is_none_or(|chat| chats_seen.insert(chat));
            if !first_of_chat
                || self.posting.contains(id)
                || chat.is_some_and(|chat| self.posting_chats.contains(&chat))
                || self.retry_at.get(id).is_some_and(|at| now < *at)
            {
                continue;
            }
            taken.push((*id, update.clone()));
        }
        for (id, update) in &taken {
            self.posting.insert(*id);
            if let Some(chat) = update_chat(update) {
                self.posting_chats.insert(chat);
            }
        }
        taken
    }

    /// A post of update `id` ended: delivered (2xx), or failed with `error` (posted again later).
    pub fn posted(&mut self, id: i64, update: &Value, error: Option<String>, now: i64) {
        self.posting.remove(&id);
        if let Some(chat) = update_chat(update) {
            self.posting_chats.remove(&chat);
        }
        match error {
            None => {
                self.updates.retain(|(queued, _)| *queued != id);
                self.retry_at.remove(&id);
            }
            Some(error) => {
                self.retry_at.insert(
                    id,
                    std::time::Instant::now() + std::time::Duration::from_millis(300),
                );
                self.webhook_error = Some((now, error));
            }
        }
    }

    /// Forgets every update waiting (`drop_pending_updates`).
    pub fn drop_pending(&mut self) {
        self.updates.clear();
        self.retry_at.clear();
    }

    pub fn queued(&self, update_id: i64) -> Option<Value> {
        self.updates
            .iter()
            .find(|(id, _)| *id == update_id)
            .map(|(_, update)| update.clone())
    }

    pub fn pending_count(&self) -> usize {
        self.updates.len()
    }

    /// Whether the bot has fetched everything up to and including `update_id` and asked for more.
    pub fn confirmed(&self, update_id: i64) -> bool {
        self.updates.front().is_none_or(|(id, _)| *id > update_id)
    }

    fn record(&mut self, chat_id: i64, kind: EventKind) {
        self.last_seq += 1;
        let now = Instant::now();
        let event = Event {
            seq: self.last_seq,
            chat_id,
            kind,
            at_ms: now.duration_since(self.started).as_millis() as u64,
        };
        if let Some(listener) = self.listeners.get(&chat_id) {
            if listener.send((now, event.clone())).is_err() {
                self.listeners.remove(&chat_id);
            }
        }
        if self.keep_history {
            self.events.push(event);
        }
    }

    pub fn events_after(&self, seq: u64) -> Vec<Event> {
        // The log is in order of seq: only its tail is read.
        let first = self.events.partition_point(|e| e.seq <= seq);
        self.events[first..].to_vec()
    }

    pub fn last_seq(&self) -> u64 {
        self.last_seq
    }

    pub fn chat_messages(&self, chat_id: i64) -> Vec<ChatMessage> {
        self.chats
            .get(&chat_id)
            .map(|c| c.messages.clone())
            .unwrap_or_default()
    }

    fn known_chat(&self, chat_id: i64) -> Result<&Chat, ApiError> {
        self.chats
            .get(&chat_id)
            .ok_or_else(|| ApiError::bad_request("chat not found"))
    }

    /// The bot sends a message of any kind; `content` holds the kind's own fields.
    pub fn bot_sends(
        &mut self,
        chat_id: i64,
        content: wire::Content,
        now: i64,
    ) -> Result<Value, ApiError> {
        let chat = self.known_chat(chat_id)?;
        let chat = match (&chat.group, &chat.user) {
            (Some(group), _) => group.clone(),
            (None, Some(user)) => wire::private_chat(user),
            (None, None) => return Err(ApiError::bad_request("chat not found")),
        };
        let message_id = self.take_message_id();
        let mut raw = json!({
            "message_id": message_id,
            "date": now,
            "chat": chat,
            "from": wire::bot_user(),
        });
        content.write_into(&mut raw);
        let message = ChatMessage {
            message_id,
            chat_id,
            from_bot: true,
            text: content.shown_text(),
            inline_keyboard: content.inline_keyboard(),
            reply_keyboard: content.reply_keyboard(),
            document: content.document(),
            document_bytes: content.document_bytes(),
            deleted: false,
            date: now,
            raw: raw.clone(),
        };
        let keep_history = self.keep_history;
        if let Some(chat) = self.chats.get_mut(&chat_id) {
            Self::keep_message(chat, message.clone(), keep_history);
        }
        self.record(chat_id, EventKind::Sent { message });
        Ok(raw)
    }

    fn bot_message_mut(
        &mut self,
        chat_id: i64,
        message_id: i64,
        missing: &str,
    ) -> Result<&mut ChatMessage, ApiError> {
        self.chats
            .get_mut(&chat_id)
            .and_then(|c| c.messages.iter_mut().find(|m| m.message_id == message_id))
            .filter(|m| !m.deleted)
            .ok_or_else(|| ApiError::bad_request(missing))
    }

    /// editMessageText and editMessageReplyMarkup: `text` None keeps the text.
    pub fn bot_edits(
        &mut self,
        chat_id: i64,
        message_id: i64,
        text: Option<String>,
        markup: Option<Value>,
    ) -> Result<Value, ApiError> {
        let message = self.bot_message_mut(chat_id, message_id, "message to edit not found")?;
        if !message.from_bot {
            return Err(ApiError::bad_request("message can't be edited"));
        }
        let new_keyboard = wire::inline_keyboard(markup.as_ref());
        let same_text = text.as_ref().is_none_or(|t| *t == message.text);
        if same_text && new_keyboard == message.inline_keyboard {
            return Err(ApiError::bad_request(
                "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message",
            ));
        }
        if let Some(text) = text {
            message.raw["text"] = json!(text);
            message.text = text;
        }
        match markup {
            Some(markup) => message.raw["reply_markup"] = markup,
            None => {
                if let Some(raw) = message.raw.as_object_mut() {
                    raw.remove("reply_markup");
                }
            }
        }
        message.inline_keyboard = new_keyboard;
        message.raw["edit_date"] = message.raw["date"].clone();
        let edited = message.clone();
        let raw = edited.raw.clone();
        self.record(chat_id, EventKind::Edited { message: edited });
        Ok(raw)
    }

    pub fn bot_deletes(&mut self, chat_id: i64, message_id: i64) -> Result<(), ApiError> {
        let message = self.bot_message_mut(chat_id, message_id, "message to delete not found")?;
        message.deleted = true;
        self.record(chat_id, EventKind::Deleted { message_id });
        Ok(())
    }

    pub fn bot_answers_callback(&mut self, id: &str, text: Option<String>) -> Result<(), ApiError> {
        let chat_id = self.open_callbacks.remove(id).ok_or_else(|| {
            ApiError::bad_request(
                "query is too old and response timeout expired or query id is invalid",
            )
        })?;
        self.record(
            chat_id,
            EventKind::CallbackAnswered {
                callback_query_id: id.to_owned(),
                text,
            },
        );
        Ok(())
    }
}
