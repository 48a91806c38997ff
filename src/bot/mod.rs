//! The Telegram side: the handler tree ([`schema`]) and the long-polling runner ([`Runner`]),
//! whose updates pass the [`gate`] before they reach the handlers.

mod answers;
mod ask;
mod booking;
pub mod callback;
pub mod commands;
mod context;
pub mod digest;
mod errors;
pub mod gate;
mod handlers;
mod keyboards;
pub mod leader;
pub mod news;
mod offers;
mod outbox;
mod polling_errors;
mod privacy;
pub mod send;
mod send_window;
pub mod staff;
pub mod state;
pub mod webhook;

use std::{sync::Arc, time::Duration};

use anyhow::Context as _;
use sqlx::PgPool;
use teloxide::{
    dispatching::{DpHandlerDescription, ShutdownToken, UpdateFilterExt},
    prelude::*,
    types::Me,
    update_listeners::UpdateListener as _,
    ApiError, RequestError,
};

use crate::{
    clock::Clock,
    db::{dialogue::PgStorage, exception::Exceptions, health::Health},
    directory::Directory,
    i18n::{Lang, Locales},
    understanding::Understanding,
};
pub use context::Ctx;
use state::State;

pub type HandlerResult = anyhow::Result<()>;

/// How many lanes the dispatcher runs updates in, at most (see [`lane`]).
pub const LANES: i64 = 256;

/// The lane an update is handled in: one chat's updates always in the same lane, one after
/// another and in order; updates of different lanes at the same time. teloxide's default keeps a
/// worker (a task and a queue of 64 updates) for every chat it has seen, and removes them only
/// once there are more than have ever been busy at once: after 10,000 people wrote in the same
/// minute, 10,000 workers stay, which cost hundreds of megabytes. Grouping chats into [`LANES`]
/// lanes bounds that, at the price that an update waits for a slow one of another chat in its
/// lane (one chat in 256 on average); the database pool (10 connections) bounds how many run at
/// once anyway. Updates without a chat run each on its own, as before.
fn lane(update: &Update) -> Option<i64> {
    update.chat().map(|chat| chat.id.0.rem_euclid(LANES))
}

/// What handlers share: the database, the messages, the clock, the directory.
#[derive(Clone)]
pub struct Services {
    pub pool: PgPool,
    pub locales: Arc<Locales>,
    pub clock: Clock,
    pub directory: Arc<Directory>,
    pub understanding: Arc<Understanding>,
    pub exceptions: Arc<Exceptions>,
    /// Whether the database failed lately: how long a reply waits for it.
    pub health: Health,
    /// Chats told of every booking, move and cancellation (in Polish).
    pub staff_chats: Arc<Vec<i64>>,
    /// The staff (`OKIENKO_STAFF_IDS`), checked on every staff command and button.
    pub staff: Arc<Vec<crate::config::StaffId>>,
    /// How long a slot offered from the waiting list is held.
    pub offer_minutes: u32,
    /// Announcements sent a second.
    pub news_rate: u32,
    /// When the day's agenda goes to the staff chats (Chorzów's time), if at all.
    pub digest_at: Option<chrono::NaiveTime>,
    /// Days after which personal data of past visits and sent messages is erased.
    pub retention_days: u32,
    /// Wakes the waiting-list worker when a slot may have freed.
    pub waitlist: Arc<tokio::sync::Notify>,
    /// When known people were last seen, written every few seconds.
    pub seen: Arc<crate::db::user::Seen>,
    /// The bookable places' slots, cut once a day.
    pub(crate) slots: Arc<booking::SlotCache>,
}

impl Services {
    /// Today in Chorzów, on the bot's clock.
    pub fn today(&self) -> chrono::NaiveDate {
        self.clock
            .now()
            .with_timezone(&crate::clock::TIME_ZONE)
            .date_naive()
    }

    /// Built only by [`crate::app::Application`], from the configuration.
    pub(crate) fn new(
        pool: PgPool,
        locales: Arc<Locales>,
        clock: Clock,
        directory: Directory,
        config: &crate::config::Config,
    ) -> Self {
        let health = Health::default();
        Self {
            understanding: Arc::new(Understanding::new(&directory)),
            exceptions: Arc::new(Exceptions::new(pool.clone(), health.clone())),
            health,
            directory: Arc::new(directory),
            pool,
            locales,
            clock,
            staff_chats: Arc::new(config.staff_chats.clone()),
            staff: Arc::new(config.staff_ids.clone()),
            offer_minutes: config.offer_minutes,
            news_rate: config.news_rate,
            digest_at: config.digest_at,
            retention_days: config.retention_days,
            waitlist: Arc::new(tokio::sync::Notify::new()),
            seen: Arc::default(),
            slots: Arc::default(),
        }
    }
}

/// The whole handler tree: the map of the conversation. Each update gets its context (chat,
/// language) and its dialogue state, then goes to the branch of that state.
pub fn schema() -> Handler<'static, HandlerResult, DpHandlerDescription> {
    use dptree::case;
    let messages = Update::filter_message()
        .filter_map_async(Ctx::from_message)
        .chain(context::entered())
        .branch(case![State::Lost].endpoint(handlers::on_lost_state))
        .branch(teloxide::filter_command::<commands::Command, _>().endpoint(handlers::on_command))
        // Staff commands, only for staff: to anyone else they go on as unknown commands do.
        .branch(dptree::filter_map(staff::staff_command).endpoint(staff::on_command))
        .branch(case![State::Unknown].endpoint(handlers::on_message_unknown_state))
        // A member of staff typing the reason of a cancellation or a visit's new time (their
        // words are theirs, not a resident's crisis).
        .branch(
            case![State::StaffCancelling {
                visit,
                page,
                reason
            }]
            .endpoint(staff::on_cancel_reason),
        )
        .branch(case![State::StaffMoving { visit }].endpoint(staff::on_move_typed))
        // Words of danger or crisis come first, whatever else is going on.
        .branch(dptree::filter_map(handlers::typed_crisis).endpoint(handlers::on_crisis))
        // The phone step's reply keyboard (or the words typed) while a step waits.
        .branch(dptree::filter(booking::typed_cancel).endpoint(booking::cancel_typed))
        .branch(dptree::filter(booking::typed_back).endpoint(booking::back_typed))
        .branch(case![State::ChoosingLanguage].endpoint(handlers::on_language_typed))
        .branch(case![State::BookingName { service, start }].endpoint(booking::book::on_name))
        .branch(
            case![State::BookingPhone {
                service,
                start,
                name
            }]
            .endpoint(booking::book::on_phone),
        )
        .branch(case![State::WaitingName { service }].endpoint(booking::waitlist::on_name))
        .branch(case![State::WaitingPhone { service, name }].endpoint(booking::waitlist::on_phone))
        // Right after "Nie" to the consent: a change of mind, or a question.
        .branch(
            case![State::ConsentDeclined { service, start }].endpoint(handlers::on_declined_typed),
        )
        // Buttons on screen (days, times, the summary, "cancel this visit?"): a day, a time or
        // a yes may be typed instead of pressed.
        .branch(
            dptree::filter(|state: State| state.has_buttons_waiting())
                .endpoint(handlers::on_step_typed),
        )
        // Nothing waits: a question.
        .branch(dptree::endpoint(handlers::on_message));
    let buttons = Update::filter_callback_query()
        .filter_map_async(Ctx::from_callback)
        .chain(context::entered())
        .branch(case![State::Lost].endpoint(handlers::on_lost_state))
        .branch(case![State::Unknown].endpoint(handlers::on_button_unknown_state))
        .branch(dptree::endpoint(handlers::on_button));
    errors::traced_and_apologizing().chain(dptree::entry().branch(messages).branch(buttons))
}

/// Why the bot could not start talking to the Bot API server.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(
        "TELOXIDE_TOKEN was refused by the Bot API server at {0} (check the token with @BotFather)"
    )]
    TokenRefused(String),
    #[error("cannot reach the Bot API server at {0}: {1}")]
    Unreachable(String, String),
}

/// The bot, ready to serve: its client, its services and its dialogue storage.
pub struct Runner {
    bot: Bot,
    services: Services,
    storage: Arc<PgStorage>,
    waitlist_every: Duration,
    outbox_lease: Duration,
    flood_per_minute: std::num::NonZeroU32,
    /// Webhook mode's settings; none: long polling.
    webhook: Option<crate::config::Webhook>,
}

impl Runner {
    /// Built only by [`crate::app::Application`], from the configuration.
    pub(crate) fn new(
        bot: Bot,
        services: Services,
        dialogue_ttl: Duration,
        outbox_lease: Duration,
        waitlist_every: Duration,
        flood_per_minute: std::num::NonZeroU32,
    ) -> Self {
        let storage = PgStorage::new(
            services.pool.clone(),
            services.health.clone(),
            services.clock.clone(),
            dialogue_ttl,
        );
        Self {
            bot,
            services,
            storage,
            waitlist_every,
            outbox_lease,
            flood_per_minute,
            webhook: None,
        }
    }

    /// Takes updates from Telegram's webhook instead of long polling.
    pub(crate) fn with_webhook(mut self, webhook: Option<crate::config::Webhook>) -> Self {
        self.webhook = webhook;
        self
    }

    pub fn services(&self) -> &Services {
        &self.services
    }

    /// Asks the server who the bot is: a wrong token or an unreachable server stops here.
    pub async fn check(&self) -> Result<Me, StartError> {
        let url = self.bot.api_url().to_string();
        match send::retrying(|| self.bot.get_me().send()).await {
            Ok(me) => Ok(me),
            Err(RequestError::Api(ApiError::InvalidToken)) => Err(StartError::TokenRefused(url)),
            Err(error) => Err(StartError::Unreachable(url, error.to_string())),
        }
    }

    /// Registers the command list in each language (and Polish as the default).
    pub async fn register_commands(&self) -> anyhow::Result<()> {
        let locales = &self.services.locales;
        for lang in Lang::ALL {
            let list = commands::menu(locales, lang);
            send::retrying(|| {
                self.bot
                    .set_my_commands(list.clone())
                    .language_code(lang.code())
                    .send()
            })
            .await
            .with_context(|| format!("cannot register the commands in {}", lang.code()))?;
        }
        let list = commands::menu(locales, Lang::Pl);
        send::retrying(|| self.bot.set_my_commands(list.clone()).send())
            .await
            .context("cannot register the default commands")?;
        Ok(())
    }

    /// Serves updates by long polling, behind the [`gate`] (flood budget, private chats only),
    /// until the returned token is told to shut down (or the process gets Ctrl-C when `ctrlc` is
    /// set). Also sweeps abandoned dialogues every ten minutes.
    pub fn start(self, ctrlc: bool) -> Started {
        let storage = self.storage.clone();
        let sweeper = tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(600));
            loop {
                tick.tick().await;
                match storage.sweep().await {
                    Ok(0) => {}
                    Ok(swept) => tracing::info!(swept, "abandoned dialogues removed"),
                    Err(error) => tracing::warn!(%error, "cannot sweep abandoned dialogues"),
                }
            }
        });
        let seen = spawn_seen(self.services.clone());
        let waitlist = offers::spawn(self.services.clone(), self.waitlist_every);
        let lease =
            chrono::Duration::from_std(self.outbox_lease).unwrap_or(chrono::Duration::seconds(60));
        let (outbox_stop, stopping) = tokio::sync::watch::channel(false);
        let outbox = outbox::spawn(self.bot.clone(), self.services.clone(), lease, stopping);
        let digest = digest::spawn(self.services.clone());
        let retention = privacy::spawn(self.services.clone());
        let gate = gate::Gate::new(
            self.bot.clone(),
            self.services.clone(),
            self.flood_per_minute,
        );
        let polling_bot = self.bot.clone();
        let lock_connection = (*self.services.pool.connect_options()).clone();
        let lock_name = leader::lock_name(self.bot.token(), self.bot.api_url().as_str());
        // Webhook mode: the updates come from the HTTP server, and each is answered once the
        // handler tree has finished it (see webhook.rs).
        let webhook = self.webhook.as_ref().map(|settings| {
            let (inbox, listener) =
                webhook::inbox(self.services.pool.clone(), settings, Arc::clone(&gate));
            let router = inbox.router(settings.path());
            (inbox, listener, router)
        });
        let tree = match &webhook {
            Some((inbox, _, _)) => webhook::completing(Arc::clone(inbox), schema()),
            None => schema(),
        };
        let (webhook, webhook_router) = match webhook {
            Some((inbox, listener, router)) => (Some((inbox, listener)), Some(router)),
            None => (None, None),
        };
        let mut builder = Dispatcher::builder(self.bot, tree)
            .distribution_function(lane)
            .dependencies(dptree::deps![self.services, self.storage])
            .error_handler(Arc::new(errors::LoggedInTheSpan))
            .default_handler(|_| async {});
        if ctrlc {
            builder = builder.enable_ctrlc_handler();
        }
        let mut dispatcher = builder.build();
        let token = dispatcher.shutdown_token();
        let stop = token.clone();
        // Only the process holding the polling lock polls (see leader.rs).
        let mut polling = leader::Elected::new(lock_connection, lock_name, move || {
            let bot = polling_bot.clone();
            Box::pin(async move {
                teloxide::update_listeners::Polling::builder(bot)
                    .timeout(Duration::from_secs(10))
                    .backoff_strategy(polling_pause)
                    .delete_webhook()
                    .await
                    .build()
            })
        });
        // What stops the update listener itself: the webhook's in webhook mode, else polling's.
        let mut webhook = webhook;
        let stop_listening = match webhook.as_mut() {
            Some((_, listener)) => listener.stop_token(),
            None => polling.stop_token(),
        };
        // The workers end with the bot, however it ends (shut down, or its task aborted); the
        // outbox is stopped on its own, so that deliveries in progress record their outcome.
        let workers = Workers(vec![sweeper, seen, waitlist, digest, retention]);
        let task = tokio::spawn(async move {
            let _workers = workers;
            if let Some((inbox, listener)) = webhook {
                let _sweeper = Workers(vec![inbox.spawn_sweeper()]);
                let on_error = teloxide::error_handlers::LoggingErrorHandler::with_custom_text(
                    "An error from the webhook",
                );
                dispatcher.dispatch_with_listener(listener, on_error).await;
                inbox.closed();
                return;
            }
            // Long polling as `dispatch()` polls, but after an outage the bot asks again within
            // seconds, not after teloxide's growing pause (up to 64 s after a minute without
            // Telegram); and with the gate in front: an update it refuses never takes a place in
            // a chat's queue (see gate.rs).
            let listener = gate::Gated::new(polling, gate);
            let on_error = polling_errors::PollingErrors::new(stop);
            dispatcher.dispatch_with_listener(listener, on_error).await;
        });
        Started {
            shutdown: token,
            stop_listening,
            task,
            outbox,
            outbox_stop,
            webhook: webhook_router,
        }
    }
}

/// How often `last_seen` of the people who wrote is written (see [`crate::db::user::Seen`]).
const SEEN_EVERY: Duration = Duration::from_secs(5);

/// Writes `last_seen` every [`SEEN_EVERY`] (the last time when the bot stops: see
/// [`crate::app::Running::shutdown`]).
fn spawn_seen(services: Services) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(SEEN_EVERY);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if let Err(error) = services.seen.flush(&services.pool).await {
                tracing::warn!(%error, "cannot record when people were last seen; trying again");
            }
        }
    })
}

/// The bot once started: what stops it.
pub struct Started {
    /// Stops taking updates; the ones in hand are finished.
    pub shutdown: ShutdownToken,
    /// Stops the update listener itself: its stream ends once the updates taken are handed on,
    /// and the dispatcher then ends. Needed beside `shutdown`, whose notice reaches only a
    /// dispatcher waiting for it at that moment (one busy handing on an update misses it).
    pub stop_listening: teloxide::stop::StopToken,
    /// The dispatcher (and the workers other than the outbox), ending when it stops.
    pub task: tokio::task::JoinHandle<()>,
    /// The outbox worker, ending once told by `outbox_stop` and its deliveries recorded.
    pub outbox: tokio::task::JoinHandle<()>,
    pub outbox_stop: tokio::sync::watch::Sender<bool>,
    /// Webhook mode: the route Telegram posts to, for the operator's HTTP server.
    pub webhook: Option<axum::Router>,
}

/// The pause before polling again after `errors` failures in a row: 1, 2, then 4 seconds.
fn polling_pause(errors: u32) -> Duration {
    Duration::from_secs(1 << errors.min(2))
}

/// Background tasks that are aborted when dropped.
struct Workers(Vec<tokio::task::JoinHandle<()>>);

impl Drop for Workers {
    fn drop(&mut self) {
        for worker in &self.0 {
            worker.abort();
        }
    }
}

/// A bot client for `token`, aimed at `api_url` when given (any Bot API server).
pub fn client(token: &str, api_url: Option<url::Url>) -> Bot {
    let bot = Bot::new(token);
    match api_url {
        Some(url) => bot.set_api_url(url),
        None => bot,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message_from(chat: i64) -> Update {
        let kind = if chat > 0 {
            serde_json::json!({"id": chat, "type": "private", "first_name": "A"})
        } else {
            serde_json::json!({"id": chat, "type": "supergroup", "title": "A"})
        };
        let json = serde_json::json!({
            "update_id": 1,
            "message": {
                "message_id": 1, "date": 0, "text": "hej", "chat": kind,
                "from": {"id": 7, "is_bot": false, "first_name": "A"}
            }
        });
        // From text, as it comes from Telegram (teloxide reads an update's kind from the raw text).
        let update: Update = serde_json::from_str(&json.to_string()).expect("an update");
        assert!(update.chat().is_some(), "{update:?}");
        update
    }

    #[test]
    fn a_chat_keeps_its_lane_and_the_lanes_are_bounded() {
        for chat in [
            1,
            255,
            256,
            257,
            123_456_789,
            -1_001_234_567_890,
            i64::MIN,
            i64::MAX,
        ] {
            let lane = lane(&message_from(chat)).expect("a chat has a lane");
            assert!((0..LANES).contains(&lane), "{chat} in lane {lane}");
            assert_eq!(Some(lane), super::lane(&message_from(chat)), "{chat}");
        }
        let lanes: std::collections::HashSet<_> = (0..10_000)
            .filter_map(|chat| lane(&message_from(chat)))
            .collect();
        assert_eq!(lanes.len(), LANES as usize);
    }
}
