//! The emulator's HTTP side: the Bot API under `/bot<token>/<method>` and the control endpoints
//! under `/_emulator/` through which a test or the terminal plays the user.

use std::{net::SocketAddr, sync::Arc, time::Duration};

use axum::{
    body::Bytes,
    extract::{FromRequest, Multipart, Path, Query, Request, State as AxumState},
    http::{header::CONTENT_TYPE, StatusCode},
    response::{IntoResponse, Response},
    routing::{get, post},
    Json, Router,
};
use serde::Deserialize;
use serde_json::{json, Map, Value};
use tokio::{
    net::TcpListener,
    sync::{watch, Mutex},
    task::JoinHandle,
};

use super::{
    faults::{Armed, Fault},
    model::{ContactOwner, UserProfile},
    state::{ChatMessage, Event, State, Webhook},
    wire::{self, ApiError, Content, Params},
};

/// The emulator itself: cheap to clone, shared by the HTTP server and in-process callers.
#[derive(Clone)]
pub struct Emulator {
    state: Arc<Mutex<State>>,
    /// Bumped whenever a user update is queued, to wake long-polling getUpdates.
    updates: Arc<watch::Sender<u64>>,
    /// Bumped whenever the bot does something, to wake whoever waits for events.
    events: Arc<watch::Sender<u64>>,
    /// Bumped by every getUpdates: a long poll still waiting when another starts is ended with
    /// Telegram's 409 ("terminated by other getUpdates request"), as two pollers of one bot get.
    polls: Arc<watch::Sender<u64>>,
}

/// A running emulator: its base address (give it to the bot as `TELOXIDE_API_URL`).
pub struct EmulatorHandle {
    pub emulator: Emulator,
    pub url: url::Url,
    pub addr: SocketAddr,
    server: JoinHandle<()>,
}

impl Drop for EmulatorHandle {
    fn drop(&mut self) {
        self.server.abort();
    }
}

impl Emulator {
    /// An emulator that accepts only `token` (anything else gets Telegram's 401).
    pub fn new(token: &str) -> Self {
        Self {
            state: Arc::new(Mutex::new(State::new(token.to_owned()))),
            updates: Arc::new(watch::channel(0).0),
            events: Arc::new(watch::channel(0).0),
            polls: Arc::new(watch::channel(0).0),
        }
    }

    /// Serves the emulator on `addr` (port 0 picks a free one) until the handle is dropped.
    pub async fn serve(self, addr: SocketAddr) -> std::io::Result<EmulatorHandle> {
        let listener = TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        let router = self.router();
        let poster = tokio::spawn(self.clone().post_updates());
        let server = tokio::spawn(async move {
            if let Err(error) = axum::serve(listener, router).await {
                tracing::error!(%error, "the Bot API emulator stopped");
            }
            poster.abort();
        });
        let url = url::Url::parse(&format!("http://{addr}/"))
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e))?;
        Ok(EmulatorHandle {
            emulator: self,
            url,
            addr,
            server,
        })
    }

    fn router(&self) -> Router {
        Router::new()
            .route("/_emulator/message", post(control_message))
            .route("/_emulator/callback", post(control_callback))
            .route("/_emulator/update", post(control_update))
            .route("/_emulator/events", get(control_events))
            .route("/_emulator/chats/{chat_id}", get(control_chat))
            .route("/_emulator/files/{chat_id}/{message_id}", get(control_file))
            .route("/_emulator/faults", post(control_fault))
            .route("/_emulator/calls", get(control_calls))
            .route("/_emulator/conflicts", get(control_conflicts))
            .route("/_emulator/commands", get(control_commands))
            .route("/{bot_token}/{method}", get(bot_api).post(bot_api))
            .with_state(self.clone())
    }

    fn now() -> i64 {
        chrono::Utc::now().timestamp()
    }

    /// While a webhook is set, posts the waiting updates to it as Telegram does: JSON, with the
    /// secret in `X-Telegram-Bot-Api-Secret-Token`, up to `max_connections` at a time and one at
    /// a time per chat; an update is forgotten on a 2xx answer and posted again after any other
    /// (or none within a minute).
    async fn post_updates(self) {
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(60))
            .build()
            .unwrap_or_default();
        let mut changed = self.updates.subscribe();
        loop {
            let (webhook, batch) = {
                let mut state = self.state.lock().await;
                let limit = state.webhook.as_ref().map_or(0, |w| w.max_connections);
                (state.webhook.clone(), state.take_to_post(limit))
            };
            if let Some(webhook) = webhook {
                for (id, update) in batch {
                    let emulator = self.clone();
                    let client = client.clone();
                    let webhook = webhook.clone();
                    tokio::spawn(async move {
                        let mut request = client.post(&webhook.url).json(&update);
                        if let Some(secret) = &webhook.secret {
                            request = request.header("X-Telegram-Bot-Api-Secret-Token", secret);
                        }
                        let error = match request.send().await {
                            Ok(answer) if answer.status().is_success() => None,
                            Ok(answer) => Some(format!(
                                "Wrong response from the webhook: {}",
                                answer.status()
                            )),
                            Err(error) if error.is_timeout() => Some("Timeout expired".to_owned()),
                            Err(_) => Some("Connection refused".to_owned()),
                        };
                        emulator
                            .state
                            .lock()
                            .await
                            .posted(id, &update, error, Self::now());
                        emulator.updates.send_modify(|n| *n += 1);
                    });
                }
            }
            // Woken by a new update or a post's end; retries are looked at every tenth of a second.
            let _ = tokio::time::timeout(Duration::from_millis(100), changed.changed()).await;
        }
    }

    /// The webhook set now (URL, secret, connections), if any.
    pub async fn webhook(&self) -> Option<(String, Option<String>, usize)> {
        let state = self.state.lock().await;
        state
            .webhook
            .as_ref()
            .map(|w| (w.url.clone(), w.secret.clone(), w.max_connections))
    }

    /// Whether the bot ever called deleteWebhook.
    pub async fn webhook_deleted(&self) -> bool {
        self.state.lock().await.webhook_deleted
    }

    /// The JSON of update `update_id` while it waits for the bot (as Telegram would post it).
    pub async fn queued_update(&self, update_id: i64) -> Option<Value> {
        self.state.lock().await.queued(update_id)
    }

    /// Updates not delivered yet (polled or posted).
    pub async fn pending_updates(&self) -> usize {
        self.state.lock().await.pending_count()
    }

    /// A user sends a text message. Returns (update id, message id).
    pub async fn send_text(&self, user: &UserProfile, text: &str) -> (i64, i64) {
        let ids = self
            .state
            .lock()
            .await
            .user_message(user, Some(text), None, Self::now());
        self.updates.send_modify(|n| *n += 1);
        ids
    }

    /// A private chat with `user` exists, as after they wrote to the bot long ago, without an
    /// update (the bot can send there: a reminder, say).
    pub async fn meet(&self, user: &UserProfile) {
        self.state.lock().await.meet(user);
    }

    /// A user shares their phone number with the "share contact" button.
    pub async fn send_contact(&self, user: &UserProfile, phone: &str) -> (i64, i64) {
        self.send_contact_of(user, phone, ContactOwner::Sender)
            .await
    }

    /// A user shares a contact card: their own number, someone else's, or one of no Telegram user.
    pub async fn send_contact_of(
        &self,
        user: &UserProfile,
        phone: &str,
        owner: ContactOwner,
    ) -> (i64, i64) {
        let ids =
            self.state
                .lock()
                .await
                .user_message(user, None, Some((phone, owner)), Self::now());
        self.updates.send_modify(|n| *n += 1);
        ids
    }

    /// Any update, as the test writes it (see [`super::EmulatorClient::send_update`]).
    pub async fn send_update(&self, kind: &str, body: Value) -> (i64, i64) {
        let ids = self.state.lock().await.user_update(kind, body, Self::now());
        self.updates.send_modify(|n| *n += 1);
        ids
    }

    /// A user presses an inline button with `data` under the bot's message `message_id`.
    pub async fn press(
        &self,
        user: &UserProfile,
        message_id: i64,
        data: &str,
    ) -> Result<(i64, String), ApiError> {
        let ids = self
            .state
            .lock()
            .await
            .user_callback(user, message_id, data)?;
        self.updates.send_modify(|n| *n += 1);
        Ok(ids)
    }

    /// The bot's actions after event `after`, waiting up to `timeout` for the first one.
    pub async fn events_after(&self, after: u64, timeout: Duration) -> Vec<Event> {
        let mut changed = self.events.subscribe();
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let events = self.state.lock().await.events_after(after);
            if !events.is_empty() {
                return events;
            }
            match tokio::time::timeout_at(deadline, changed.changed()).await {
                Ok(Ok(())) => continue,
                _ => return Vec::new(),
            }
        }
    }

    /// Keep the whole event log and every message of every chat (the default), or, for a load
    /// run, no log and only each chat's recent messages, so that memory stays flat however long
    /// it runs. Follow chats with [`Emulator::listen_chat`] then.
    pub async fn keep_history(&self, keep: bool) {
        self.state.lock().await.keep_history(keep);
    }

    /// Every later event of chat `chat_id`, with the instant the emulator recorded it (the bot's
    /// call arriving), sent to the receiver returned; one listener per chat, the newest wins.
    pub async fn listen_chat(
        &self,
        chat_id: i64,
    ) -> tokio::sync::mpsc::UnboundedReceiver<(std::time::Instant, Event)> {
        let (sender, receiver) = tokio::sync::mpsc::unbounded_channel();
        self.state.lock().await.listen_chat(chat_id, sender);
        receiver
    }

    pub async fn last_event_seq(&self) -> u64 {
        self.state.lock().await.last_seq()
    }

    /// Whether the bot has taken every update up to `update_id` off the queue.
    pub async fn confirmed(&self, update_id: i64) -> bool {
        self.state.lock().await.confirmed(update_id)
    }

    pub async fn chat(&self, chat_id: i64) -> Vec<ChatMessage> {
        self.state.lock().await.chat_messages(chat_id)
    }

    pub async fn add_fault(&self, fault: Fault) {
        self.state.lock().await.faults.add(fault);
    }

    /// How many times the bot called `method` (any letter case).
    pub async fn calls(&self, method: &str) -> u64 {
        let state = self.state.lock().await;
        state
            .calls
            .get(&method.to_lowercase())
            .copied()
            .unwrap_or(0)
    }

    /// The commands the bot registered, by language code ("" for the default list).
    pub async fn commands(&self) -> Map<String, Value> {
        let state = self.state.lock().await;
        state
            .commands
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    }

    /// How many long polls were ended by another getUpdates (two pollers at once).
    pub async fn conflicts(&self) -> u64 {
        self.state.lock().await.poll_conflicts
    }

    async fn long_poll(&self, params: &Params) -> Result<Value, ApiError> {
        let offset = params.int("offset").unwrap_or(0);
        let limit = params.int("limit").unwrap_or(100).clamp(1, 100) as usize;
        let timeout = params.int("timeout").unwrap_or(0).clamp(0, 50) as u64;
        // As on Telegram: the list given is kept for later calls; an empty one means the default.
        let allowed: Option<Vec<String>> = params
            .json("allowed_updates")
            .ok()
            .flatten()
            .and_then(|list| serde_json::from_value(list).ok());
        let mut changed = self.updates.subscribe();
        let mut polls = self.polls.subscribe();
        self.polls.send_modify(|n| *n += 1);
        polls.mark_unchanged();
        let deadline = tokio::time::Instant::now() + Duration::from_secs(timeout);
        if let Some(allowed) = allowed {
            self.state.lock().await.allowed_updates = allowed;
        }
        loop {
            let updates = self.state.lock().await.updates_from(offset, limit);
            if !updates.is_empty() {
                return Ok(Value::Array(updates));
            }
            tokio::select! {
                woken = tokio::time::timeout_at(deadline, changed.changed()) => match woken {
                    Ok(Ok(())) => continue,
                    _ => return Ok(Value::Array(Vec::new())),
                },
                Ok(()) = polls.changed() => {
                    self.state.lock().await.poll_conflicts += 1;
                    return Err(ApiError {
                        code: 409,
                        description: "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running".into(),
                        retry_after: None,
                    });
                }
            }
        }
    }

    /// One Bot API call, after the token has been checked.
    async fn call(&self, method: &str, params: Params) -> Result<Value, ApiError> {
        let chat_id = params.int("chat_id");
        {
            let mut state = self.state.lock().await;
            *state.calls.entry(method.to_owned()).or_default() += 1;
            match state.faults.take(method, chat_id) {
                Some(Armed::Error(error)) => return Err(error),
                Some(Armed::Hang) => {
                    drop(state);
                    std::future::pending::<()>().await;
                }
                None => {}
            }
        }
        let result = match method {
            "getme" => Ok(wire::get_me()),
            "getupdates" => {
                if self.state.lock().await.webhook.is_some() {
                    return Err(ApiError::webhook_active());
                }
                self.long_poll(&params).await
            }
            "getwebhookinfo" => {
                let state = self.state.lock().await;
                let mut info = json!({
                    "url": state.webhook.as_ref().map(|w| w.url.clone()).unwrap_or_default(),
                    "has_custom_certificate": false,
                    "pending_update_count": state.pending_count(),
                });
                if let Some(webhook) = &state.webhook {
                    info["max_connections"] = json!(webhook.max_connections);
                    if !state.allowed_updates.is_empty() {
                        info["allowed_updates"] = json!(state.allowed_updates);
                    }
                }
                if let Some((at, message)) = &state.webhook_error {
                    info["last_error_date"] = json!(at);
                    info["last_error_message"] = json!(message);
                }
                Ok(info)
            }
            "setwebhook" => {
                let url = params.str("url").unwrap_or_default();
                let mut state = self.state.lock().await;
                if params.str("drop_pending_updates").as_deref() == Some("true") {
                    state.drop_pending();
                }
                if url.is_empty() {
                    state.webhook = None;
                    return Ok(json!(true));
                }
                if url::Url::parse(&url).is_err() {
                    return Err(ApiError::bad_request("bad webhook: invalid URL"));
                }
                let max_connections = params.int("max_connections").unwrap_or(40);
                if !(1..=100).contains(&max_connections) {
                    return Err(ApiError::bad_request(
                        "bad webhook: invalid max_connections",
                    ));
                }
                if let Some(allowed) = params
                    .json("allowed_updates")?
                    .and_then(|list| serde_json::from_value::<Vec<String>>(list).ok())
                {
                    state.allowed_updates = allowed;
                }
                state.webhook = Some(Webhook {
                    url,
                    secret: params.str("secret_token"),
                    max_connections: max_connections as usize,
                });
                state.webhook_error = None;
                drop(state);
                self.updates.send_modify(|n| *n += 1);
                Ok(json!(true))
            }
            "deletewebhook" => {
                let mut state = self.state.lock().await;
                state.webhook_deleted = true;
                state.webhook = None;
                if params.str("drop_pending_updates").as_deref() == Some("true") {
                    state.drop_pending();
                }
                Ok(json!(true))
            }
            "setmycommands" => {
                let commands = params.json("commands")?.unwrap_or(json!([]));
                let language = params.str("language_code").unwrap_or_default();
                self.state.lock().await.commands.insert(language, commands);
                Ok(json!(true))
            }
            "getmycommands" => {
                let language = params.str("language_code").unwrap_or_default();
                let state = self.state.lock().await;
                Ok(state.commands.get(&language).cloned().unwrap_or(json!([])))
            }
            "sendmessage" => {
                let markup = params.json("reply_markup")?;
                wire::check_markup(markup.as_ref())?;
                let text = wire::check_text(params.str("text"))?;
                let text = match params.str("parse_mode").as_deref() {
                    Some("HTML") => html_to_text(&text)?,
                    _ => text,
                };
                self.send(params.chat_id()?, Content::Text { text, markup })
                    .await
            }
            "sendvenue" => {
                let content = Content::Venue {
                    latitude: coordinate(&params, "latitude")?,
                    longitude: coordinate(&params, "longitude")?,
                    title: params
                        .str("title")
                        .ok_or_else(|| ApiError::bad_request("title is empty"))?,
                    address: params
                        .str("address")
                        .ok_or_else(|| ApiError::bad_request("address is empty"))?,
                    markup: params.json("reply_markup")?,
                };
                self.send(params.chat_id()?, content).await
            }
            "sendlocation" => {
                let content = Content::Location {
                    latitude: coordinate(&params, "latitude")?,
                    longitude: coordinate(&params, "longitude")?,
                    markup: params.json("reply_markup")?,
                };
                self.send(params.chat_id()?, content).await
            }
            "senddocument" => {
                let (file_name, bytes) = match params
                    .files
                    .iter()
                    .find(|(field, _, _)| field == "document")
                {
                    Some((_, name, bytes)) => (name.clone(), bytes.clone()),
                    None => match params.str("document") {
                        Some(reference) if !reference.starts_with("attach://") => {
                            (reference, Vec::new())
                        }
                        _ => {
                            return Err(ApiError::bad_request(
                                "there is no document in the request",
                            ))
                        }
                    },
                };
                let content = Content::Document {
                    file_name,
                    bytes,
                    caption: params.str("caption"),
                    markup: params.json("reply_markup")?,
                };
                self.send(params.chat_id()?, content).await
            }
            "editmessagetext" => {
                let text = wire::check_text(params.str("text"))?;
                let markup = params.json("reply_markup")?;
                wire::check_markup(markup.as_ref())?;
                let message_id = params.required_int("message_id")?;
                let edited = self.state.lock().await.bot_edits(
                    params.chat_id()?,
                    message_id,
                    Some(text),
                    markup,
                );
                self.events.send_modify(|n| *n += 1);
                edited
            }
            "editmessagereplymarkup" => {
                let markup = params.json("reply_markup")?;
                wire::check_markup(markup.as_ref())?;
                let message_id = params.required_int("message_id")?;
                let edited =
                    self.state
                        .lock()
                        .await
                        .bot_edits(params.chat_id()?, message_id, None, markup);
                self.events.send_modify(|n| *n += 1);
                edited
            }
            "deletemessage" => {
                let message_id = params.required_int("message_id")?;
                let deleted = self
                    .state
                    .lock()
                    .await
                    .bot_deletes(params.chat_id()?, message_id);
                self.events.send_modify(|n| *n += 1);
                deleted.map(|()| json!(true))
            }
            "answercallbackquery" => {
                let id = params
                    .str("callback_query_id")
                    .ok_or_else(|| ApiError::bad_request("query_id is empty"))?;
                let answered = self
                    .state
                    .lock()
                    .await
                    .bot_answers_callback(&id, params.str("text"));
                self.events.send_modify(|n| *n += 1);
                answered.map(|()| json!(true))
            }
            _ => Err(ApiError::method_not_found()),
        };
        result
    }

    async fn send(&self, chat_id: i64, content: Content) -> Result<Value, ApiError> {
        let sent = self
            .state
            .lock()
            .await
            .bot_sends(chat_id, content, Self::now());
        self.events.send_modify(|n| *n += 1);
        sent
    }
}

fn coordinate(params: &Params, name: &str) -> Result<f64, ApiError> {
    params
        .float(name)
        .filter(|v| v.is_finite())
        .ok_or_else(|| ApiError::bad_request(&format!("invalid {name} specified")))
}

/// Telegram's HTML mode, reduced to the text a person sees; a stray `<` is refused as Telegram does.
fn html_to_text(html: &str) -> Result<String, ApiError> {
    let mut text = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        text.push_str(&rest[..start]);
        let end = rest[start..]
            .find('>')
            .ok_or_else(|| ApiError::bad_request("can't parse entities: unclosed start tag"))?;
        rest = &rest[start + end + 1..];
    }
    text.push_str(rest);
    Ok(text
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&"))
}

fn reply(result: Result<Value, ApiError>) -> Response {
    match result {
        Ok(value) => (StatusCode::OK, Json(wire::ok(value))).into_response(),
        Err(error) => {
            let status = StatusCode::from_u16(error.code).unwrap_or(StatusCode::BAD_REQUEST);
            (status, Json(error.body())).into_response()
        }
    }
}

/// `/bot<token>/<method>`: the token is checked, then the method runs (names are case-insensitive,
/// as on Telegram, where `SendMessage` and `sendMessage` are the same call).
async fn bot_api(
    AxumState(emulator): AxumState<Emulator>,
    Path((bot_token, method)): Path<(String, String)>,
    Query(query): Query<Map<String, Value>>,
    request: Request,
) -> Response {
    let token_ok = {
        let state = emulator.state.lock().await;
        bot_token.strip_prefix("bot") == Some(state.token.as_str())
    };
    if !token_ok {
        return reply(Err(ApiError::unauthorized()));
    }
    let params = match read_params(query, request).await {
        Ok(params) => params,
        Err(error) => return reply(Err(error)),
    };
    reply(emulator.call(&method.to_lowercase(), params).await)
}

async fn read_params(query: Map<String, Value>, request: Request) -> Result<Params, ApiError> {
    let mut params = Params {
        fields: query,
        files: Vec::new(),
    };
    let content_type = request
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    if content_type.starts_with("multipart/form-data") {
        let mut multipart = Multipart::from_request(request, &())
            .await
            .map_err(|_| ApiError::bad_request("can't parse multipart body"))?;
        while let Some(field) = multipart
            .next_field()
            .await
            .map_err(|_| ApiError::bad_request("can't parse multipart body"))?
        {
            let name = field.name().unwrap_or_default().to_owned();
            let file_name = field.file_name().map(str::to_owned);
            let bytes = field
                .bytes()
                .await
                .map_err(|_| ApiError::bad_request("can't read multipart field"))?;
            match file_name {
                Some(file_name) => params.files.push((name, file_name, bytes.to_vec())),
                None => {
                    let value = String::from_utf8_lossy(&bytes).into_owned();
                    params.fields.insert(name, Value::String(value));
                }
            }
        }
        // Files may also be referenced as attach://<field>.
        let attached: Vec<(String, String, Vec<u8>)> = params
            .fields
            .iter()
            .filter_map(|(field, value)| {
                let target = value.as_str()?.strip_prefix("attach://")?;
                let (_, file_name, bytes) = params.files.iter().find(|(n, _, _)| n == target)?;
                Some((field.clone(), file_name.clone(), bytes.clone()))
            })
            .collect();
        params.files.extend(attached);
        return Ok(params);
    }
    let body = Bytes::from_request(request, &())
        .await
        .map_err(|_| ApiError::bad_request("can't read the request body"))?;
    if body.is_empty() {
        return Ok(params);
    }
    if content_type.starts_with("application/x-www-form-urlencoded") {
        let form: Vec<(String, String)> = url::form_urlencoded::parse(&body).into_owned().collect();
        for (name, value) in form {
            params.fields.insert(name, Value::String(value));
        }
        return Ok(params);
    }
    match serde_json::from_slice::<Value>(&body) {
        Ok(Value::Object(fields)) => {
            params.fields.extend(fields);
            Ok(params)
        }
        _ => Err(ApiError::bad_request("can't parse JSON object")),
    }
}

#[derive(Deserialize)]
struct MessageRequest {
    user: UserProfile,
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    contact: Option<String>,
    /// Whose contact it is (the sender's when absent).
    #[serde(default)]
    contact_owner: ContactOwner,
}

async fn control_message(
    AxumState(emulator): AxumState<Emulator>,
    Json(request): Json<MessageRequest>,
) -> Response {
    let (update_id, message_id) = match (&request.contact, &request.text) {
        (Some(phone), _) => {
            emulator
                .send_contact_of(&request.user, phone, request.contact_owner)
                .await
        }
        (None, Some(text)) => emulator.send_text(&request.user, text).await,
        (None, None) => return reply(Err(ApiError::bad_request("text or contact is required"))),
    };
    reply(Ok(
        json!({ "update_id": update_id, "message_id": message_id }),
    ))
}

#[derive(Deserialize)]
struct CallbackRequest {
    user: UserProfile,
    message_id: i64,
    data: String,
}

async fn control_callback(
    AxumState(emulator): AxumState<Emulator>,
    Json(request): Json<CallbackRequest>,
) -> Response {
    let pressed = emulator
        .press(&request.user, request.message_id, &request.data)
        .await;
    reply(pressed.map(|(update_id, id)| json!({ "update_id": update_id, "callback_query_id": id })))
}

#[derive(Deserialize)]
struct UpdateRequest {
    kind: String,
    body: Value,
}

async fn control_update(
    AxumState(emulator): AxumState<Emulator>,
    Json(request): Json<UpdateRequest>,
) -> Response {
    if request.kind.is_empty() || request.kind == "update_id" {
        return reply(Err(ApiError::bad_request("an update kind is required")));
    }
    let (update_id, message_id) = emulator.send_update(&request.kind, request.body).await;
    reply(Ok(
        json!({ "update_id": update_id, "message_id": message_id }),
    ))
}

#[derive(Deserialize)]
struct EventsQuery {
    #[serde(default)]
    after: u64,
    #[serde(default)]
    timeout_ms: u64,
}

async fn control_events(
    AxumState(emulator): AxumState<Emulator>,
    Query(query): Query<EventsQuery>,
) -> Response {
    let timeout = Duration::from_millis(query.timeout_ms.min(60_000));
    let events = emulator.events_after(query.after, timeout).await;
    reply(serde_json::to_value(events).map_err(|_| ApiError::bad_request("events")))
}

async fn control_chat(
    AxumState(emulator): AxumState<Emulator>,
    Path(chat_id): Path<i64>,
) -> Response {
    let messages = emulator.chat(chat_id).await;
    reply(serde_json::to_value(messages).map_err(|_| ApiError::bad_request("chat")))
}

/// The bytes of a document the bot sent.
async fn control_file(
    AxumState(emulator): AxumState<Emulator>,
    Path((chat_id, message_id)): Path<(i64, i64)>,
) -> Response {
    let chat = emulator.chat(chat_id).await;
    match chat
        .into_iter()
        .find(|m| m.message_id == message_id)
        .and_then(|m| m.document_bytes)
    {
        Some(bytes) => (StatusCode::OK, bytes).into_response(),
        None => reply(Err(ApiError::bad_request("file not found"))),
    }
}

async fn control_fault(
    AxumState(emulator): AxumState<Emulator>,
    Json(fault): Json<Fault>,
) -> Response {
    emulator.add_fault(fault).await;
    reply(Ok(json!(true)))
}

async fn control_calls(AxumState(emulator): AxumState<Emulator>) -> Response {
    let state = emulator.state.lock().await;
    reply(serde_json::to_value(&state.calls).map_err(|_| ApiError::bad_request("calls")))
}

async fn control_conflicts(AxumState(emulator): AxumState<Emulator>) -> Response {
    reply(Ok(json!(emulator.conflicts().await)))
}

async fn control_commands(AxumState(emulator): AxumState<Emulator>) -> Response {
    reply(Ok(Value::Object(emulator.commands().await)))
}
