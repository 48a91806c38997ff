//! The outbox worker: sends what the bot sends on its own (reminders, waiting-list offers, staff
//! notices) and the replies Telegram held back from a handler, each job once. It claims due jobs in a short transaction, builds each message from the
//! current state of its booking (a cancelled or started visit is not reminded of), sends within
//! Telegram's limits (teloxide's `Throttle`: 30 messages a second, one a second per chat; the 30
//! kept as Telegram counts them by a [`SendWindow`]), and
//! records the outcome only while its claim stands, renewing the claim's lease while a message
//! waits in those limits. It sleeps until the next job can be claimed (a job in flight is not one),
//! and wakes early when a new job is committed (LISTEN/NOTIFY).

use std::{sync::Arc, time::Duration};

use chrono::{DateTime, Utc};
use sqlx::postgres::PgListener;
use teloxide::{
    adaptors::{throttle::Limits, Throttle},
    prelude::*,
    types::{InlineKeyboardButton, InlineKeyboardMarkup},
    ApiError, RequestError,
};
use tokio::sync::Semaphore;

use super::{
    booking::{service, Words},
    callback::CallbackAction,
    send_window::SendWindow,
    Services,
};
use crate::{
    clock::TIME_ZONE,
    db::{
        booking::{self as bookings, Status},
        outbox::{self, Job, Kind, NewJob, Outcome},
    },
    i18n::Lang,
};

/// Jobs claimed per round.
const BATCH: i64 = 20;
/// Deliveries in flight at once; one slow chat never holds up the others.
const IN_FLIGHT: usize = 64;
/// Deliveries in flight into one chat before its further jobs wait in the table (unclaimed, so
/// another process can take them at once): Telegram lets one message a second into a chat, so
/// more would only sit in the limiter holding delivery slots that other chats need (a hundred
/// staff notices after an outage), and hold up a graceful stop.
use outbox::PER_CHAT;
/// Tries before a job is given up (flood control's waits and an unreachable Telegram do not count
/// towards a failure).
const MAX_ATTEMPTS: i32 = 6;
/// The longest pause before a message is tried again while Telegram cannot be reached.
const NETWORK_PAUSE: chrono::Duration = chrono::Duration::seconds(30);
/// The longest sleep between looks at the queue, should a notification be missed.
const MAX_SLEEP: Duration = Duration::from_secs(60);

/// Runs the worker until the task is dropped, or until `stop` turns true (or its sender is
/// gone): then it claims nothing more, waits for the deliveries in progress to record their
/// outcome, and ends.
pub fn spawn(
    bot: Bot,
    services: Services,
    lease: chrono::Duration,
    mut stop: tokio::sync::watch::Receiver<bool>,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let limits = Limits::default();
        let bot = Sender {
            window: Arc::new(SendWindow::new(limits.messages_per_sec_overall)),
            bot: bot.throttle(limits),
        };
        let slots = Arc::new(Semaphore::new(IN_FLIGHT));
        let pace = Arc::new(news_pace(services.news_rate));
        let busy = Busy::default();
        let unrecorded = Unrecorded::default();
        let mut listener = listen(&services.pool).await;
        let stopped = |stop: &tokio::sync::watch::Receiver<bool>| {
            *stop.borrow() || stop.has_changed().is_err()
        };
        loop {
            if stopped(&stop) {
                break;
            }
            let claimed = match run_once(
                &bot,
                &services,
                lease,
                &slots,
                &pace,
                &busy,
                &unrecorded,
                &stop,
            )
            .await
            {
                Ok(claimed) => claimed,
                Err(error) => {
                    tracing::warn!(
                        error = format!("{error:#}"),
                        "the outbox could not be served"
                    );
                    0
                }
            };
            if claimed as i64 >= BATCH {
                continue;
            }
            let sleep = match outbox::next_due(&services.pool, &busy.full()).await {
                Ok(Some(due)) => (due - services.clock.now())
                    .to_std()
                    .unwrap_or(Duration::ZERO)
                    .min(MAX_SLEEP),
                Ok(None) => MAX_SLEEP,
                Err(_) => Duration::from_secs(1),
            }
            // A job under a dead worker's lease becomes claimable when the lease ends.
            .max(Duration::from_millis(50));
            let Some(active) = listener.as_mut() else {
                tokio::select! {
                    _ = tokio::time::sleep(sleep.min(Duration::from_secs(1))) => {}
                    _ = stop.changed() => {}
                }
                // Listen again once the database takes us back.
                listener = listen(&services.pool).await;
                continue;
            };
            tokio::select! {
                _ = tokio::time::sleep(sleep) => {}
                _ = stop.changed() => {}
                // A chat that had all it may have in flight can take its next job.
                _ = busy.freed.notified() => {}
                notified = active.recv() => {
                    if let Err(error) = notified {
                        tracing::warn!(%error, "lost the job notifications; polling");
                        // Dropping the listener gives its connection back to the pool (a pool
                        // being closed waits for it).
                        listener = None;
                    }
                }
            }
        }
        // Stopping: every delivery slot back means every delivery has recorded its outcome.
        drop(listener);
        let _all = slots.acquire_many(IN_FLIGHT as u32).await;
        tracing::info!("the outbox stopped: no job claimed, none in flight");
    })
}

/// How the worker sends: teloxide's `Throttle` (Telegram's limits per chat, and overall), inside
/// a [`SendWindow`] of the same overall rate that Telegram cannot see exceeded.
#[derive(Clone)]
pub struct Sender {
    bot: Throttle<Bot>,
    window: Arc<SendWindow>,
}

/// The pace of announcements in this worker: `rate` a second, never two at once. Their jobs are
/// due one after another at that pace already; this keeps to it when many are due together (after
/// an outage).
pub type NewsPace = governor::DefaultDirectRateLimiter;

pub fn news_pace(rate: u32) -> NewsPace {
    let rate = std::num::NonZeroU32::new(rate).unwrap_or(std::num::NonZeroU32::MIN);
    governor::RateLimiter::direct(
        governor::Quota::per_second(rate).allow_burst(std::num::NonZeroU32::MIN),
    )
}

/// A listener for new jobs, or None (then the worker polls) when the database does not give one.
async fn listen(pool: &sqlx::PgPool) -> Option<PgListener> {
    let mut listener = PgListener::connect_with(pool).await.ok()?;
    listener.listen("outbox").await.ok()?;
    Some(listener)
}

/// The deliveries this worker has in flight, by chat.
#[derive(Clone, Default)]
pub struct Busy {
    chats: Arc<std::sync::Mutex<std::collections::HashMap<i64, usize>>>,
    /// Told when a chat that had [`PER_CHAT`] deliveries in flight has one fewer.
    freed: Arc<tokio::sync::Notify>,
}

impl Busy {
    /// The chats that have all they may have in flight: not claimed for until one ends.
    fn full(&self) -> Vec<i64> {
        let chats = self.chats.lock().unwrap_or_else(|e| e.into_inner());
        chats
            .iter()
            .filter(|(_, n)| **n >= PER_CHAT)
            .map(|(chat, _)| *chat)
            .collect()
    }

    /// Counts a delivery into `chat` until the returned guard is dropped.
    fn start(&self, chat: i64) -> InFlight {
        let mut chats = self.chats.lock().unwrap_or_else(|e| e.into_inner());
        *chats.entry(chat).or_default() += 1;
        InFlight {
            busy: self.clone(),
            chat,
        }
    }
}

/// One delivery in flight, counted in [`Busy`] while it lives.
struct InFlight {
    busy: Busy,
    chat: i64,
}

impl Drop for InFlight {
    fn drop(&mut self) {
        let mut chats = self.busy.chats.lock().unwrap_or_else(|e| e.into_inner());
        let was = chats.get(&self.chat).copied().unwrap_or(0);
        if was <= 1 {
            chats.remove(&self.chat);
        } else {
            chats.insert(self.chat, was - 1);
        }
        if was >= PER_CHAT {
            self.busy.freed.notify_one();
        }
    }
}

/// Claims as many due jobs as there are free delivery slots (none for a chat that has
/// [`PER_CHAT`] in flight), and starts delivering each on its own; returns how many were claimed.
/// A job not yet started when `stop` turns true (an announcement waiting for its pace) is given
/// back unsent, claimable at once by another process.
#[allow(clippy::too_many_arguments)]
pub async fn run_once(
    bot: &Sender,
    services: &Services,
    lease: chrono::Duration,
    slots: &Arc<Semaphore>,
    pace: &Arc<NewsPace>,
    busy: &Busy,
    unrecorded: &Unrecorded,
    stop: &tokio::sync::watch::Receiver<bool>,
) -> anyhow::Result<usize> {
    let free = slots.available_permits().min(BATCH as usize);
    if free == 0 {
        // Every slot is busy: wait for one before claiming more.
        drop(slots.acquire().await?);
        return Ok(0);
    }
    let now = services.clock.now();
    let jobs = outbox::claim(&services.pool, now, free as i64, lease, &busy.full()).await?;
    let claimed = jobs.len();
    for job in jobs {
        let permit = slots.clone().acquire_owned().await?;
        let in_flight = busy.start(job.chat_id);
        let (bot, services, pace, unrecorded, mut stopping) = (
            bot.clone(),
            services.clone(),
            pace.clone(),
            unrecorded.clone(),
            stop.clone(),
        );
        tokio::spawn(async move {
            let _permit = permit;
            let _in_flight = in_flight;
            // Sent before, with the database away when it was to be written down: written now,
            // under this claim, and not sent again.
            let remembered = unrecorded.take(job.id);
            let outcome = match remembered {
                Some(outcome) => Some(outcome),
                None => {
                    let delivery = async {
                        if job.kind == Kind::Announcement {
                            tokio::select! {
                                () = pace.until_ready() => {}
                                // Stopping (or the worker gone) before it started: not sent.
                                _ = stopping.wait_for(|stop| *stop) => return None,
                            }
                        }
                        Some(deliver(&bot, &services, &job).await)
                    };
                    holding_the_lease(&services, &job, lease, delivery).await
                }
            };
            match outcome {
                Some(outcome) => record(&services, &job, outcome, &unrecorded, lease).await,
                None => match outbox::release(&services.pool, &job).await {
                    Ok(_) => {
                        tracing::debug!(job = job.id, "an outbox job not started is given back")
                    }
                    Err(error) => {
                        tracing::warn!(job = job.id, %error, "cannot give back an outbox job not started; it waits for its lease to end")
                    }
                },
            }
        });
    }
    Ok(claimed)
}

/// Runs `delivery` while keeping the job's lease alive: a message may wait in Telegram's limits
/// (one a second and twenty a minute into one chat) far longer than the lease, and a job whose
/// lease ran out would be claimed and sent again. The lease is renewed every third of its length
/// while the delivery lasts, so only a worker that is gone (crashed, cut off) loses its jobs.
async fn holding_the_lease<T>(
    services: &Services,
    job: &Job,
    lease: chrono::Duration,
    delivery: impl std::future::Future<Output = T>,
) -> T {
    let every = (lease / 3)
        .to_std()
        .unwrap_or(Duration::from_secs(20))
        .max(Duration::from_millis(100));
    let mut renew = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
    renew.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    tokio::pin!(delivery);
    loop {
        tokio::select! {
            outcome = &mut delivery => return outcome,
            _ = renew.tick() => {
                let until = services.clock.now() + lease;
                match outbox::extend_lease(&services.pool, job, until).await {
                    Ok(true) => {}
                    Ok(false) => tracing::warn!(
                        job = job.id,
                        "a job's lease could not be extended: another worker took it"
                    ),
                    Err(error) => tracing::warn!(job = job.id, %error, "cannot extend a job's lease"),
                }
            }
        }
    }
}

/// Jobs this worker sent whose outcome the database did not take (it went away after the send):
/// kept until written, so that a job claimed again when its lease ends is not sent twice.
#[derive(Clone, Default)]
pub struct Unrecorded(Arc<std::sync::Mutex<std::collections::HashMap<i64, Outcome>>>);

impl Unrecorded {
    fn map(&self) -> std::sync::MutexGuard<'_, std::collections::HashMap<i64, Outcome>> {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn take(&self, job: i64) -> Option<Outcome> {
        self.map().remove(&job)
    }

    fn keep(&self, job: i64, outcome: &Outcome) {
        if *outcome == Outcome::Sent {
            self.map().insert(job, outcome.clone());
        }
    }
}

/// How often an outcome the database did not take is offered again while the lease lasts.
const RECORD_PAUSE: Duration = Duration::from_secs(1);

/// Writes a job's outcome while its claim stands. When the database does not take it, it is
/// offered again every second while the lease lasts, and then kept in `unrecorded` for the next
/// claim of the job.
async fn record(
    services: &Services,
    job: &Job,
    outcome: Outcome,
    unrecorded: &Unrecorded,
    lease: chrono::Duration,
) {
    let tries = (lease.num_seconds().max(1) as u64).div_ceil(RECORD_PAUSE.as_secs());
    for attempt in 1..=tries {
        let now = services.clock.now();
        match outbox::finish(&services.pool, job, &outcome, now).await {
            Ok(true) => {
                unrecorded.take(job.id);
                tracing::info!(job = job.id, kind = job.kind.as_str(), outcome = ?outcome, "outbox job done");
                if let Some(id) = job.announcement_id {
                    report_announcement(services, id, now).await;
                } else if let Outcome::Failed(why) = &outcome {
                    tell_staff_of_failure(services, job, why, now).await;
                }
                return;
            }
            Ok(false) => {
                // Claimed again meanwhile: by this worker, which takes the kept outcome, or by
                // another one.
                tracing::warn!(
                    job = job.id,
                    "a late outcome was refused: the job's lease had passed to another worker"
                );
                return;
            }
            Err(error) => {
                if attempt == 1 {
                    tracing::warn!(job = job.id, %error, "cannot record a job's outcome; kept");
                    unrecorded.keep(job.id, &outcome);
                }
                tokio::time::sleep(RECORD_PAUSE).await;
            }
        }
    }
}

/// A message to send, or why the job is no longer worth sending.
enum Message {
    Send(String, Option<InlineKeyboardMarkup>),
    Drop(String),
}

async fn build(services: &Services, job: &Job) -> anyhow::Result<Message> {
    let now = services.clock.now();
    if job.kind == Kind::Staff {
        return Ok(staff_message(job));
    }
    if outbox::is_unreachable(&services.pool, job.chat_id).await? {
        return Ok(Message::Drop(outbox::BLOCKED.into()));
    }
    if let Some(id) = job.announcement_id {
        return announcement(services, id, job.chat_id).await;
    }
    if job.kind == Kind::Reply {
        return Ok(reply_message(job));
    }
    let Some(booking) = (match job.booking_id {
        Some(id) => bookings::get(&services.pool, id).await?,
        None => None,
    }) else {
        return Ok(Message::Drop("no booking".into()));
    };
    let lang = booking.language;
    let words = Words::new(services, lang);
    let Some(svc) = service(services, &booking.service_key) else {
        return Ok(Message::Drop(
            "the service is no longer in the directory".into(),
        ));
    };
    let when = words.booking_when(&booking);
    let button = |label: &str, action: CallbackAction| {
        InlineKeyboardButton::callback(words.plain(label), action.encode())
    };
    // Under a reminder and a move by the centre: "I'll be there", move, cancel.
    let visit_buttons = || {
        InlineKeyboardMarkup::new([
            vec![button(
                "reminder-attend",
                CallbackAction::Attend(booking.id),
            )],
            vec![
                button("reminder-move", CallbackAction::VisitMove(booking.id)),
                button("reminder-cancel", CallbackAction::VisitCancel(booking.id)),
            ],
        ])
    };
    Ok(match job.kind {
        Kind::Reminder => {
            if booking.status != Status::Active {
                return Ok(Message::Drop("the visit was cancelled or moved".into()));
            }
            if booking.slot_start <= now {
                return Ok(Message::Drop("the visit has started".into()));
            }
            let when_words = words.when_from(
                booking.slot_start.with_timezone(&TIME_ZONE),
                booking.slot_end.with_timezone(&TIME_ZONE),
                now.with_timezone(&TIME_ZONE),
            );
            // Discreet: the time and the centre only, for a lock screen others may see.
            if crate::db::privacy::discreet(&services.pool, booking.telegram_id).await? {
                let text = services.locales.text(
                    lang,
                    "reminder-discreet",
                    &[
                        ("when", when_words.into()),
                        ("centre", svc.centre.short.get(lang).into()),
                    ],
                );
                return Ok(Message::Send(text, Some(visit_buttons())));
            }
            let mut text = services.locales.text(
                lang,
                "reminder",
                &[
                    ("service", svc.place.name.get(lang).into()),
                    ("when", when_words.into()),
                    ("place", words.place_line(svc.centre).into()),
                ],
            );
            if let Some(bring) = &svc.rules.bring {
                text = format!(
                    "{text}\n{}",
                    services
                        .locales
                        .text(lang, "book-bring", &[("bring", bring.get(lang).into())])
                );
            }
            let mut buttons = visit_buttons();
            buttons.inline_keyboard.push(vec![button(
                "reminder-discreet-button",
                CallbackAction::Discreet(true),
            )]);
            Message::Send(text, Some(buttons))
        }
        Kind::Offer => {
            let live = booking.status == Status::Held
                && booking.held_until.is_some_and(|until| until > now);
            if !live {
                return Ok(Message::Drop("the offer ended".into()));
            }
            let until = booking.held_until.map(|t| t.with_timezone(&TIME_ZONE));
            // Held over the night: the deadline is tomorrow morning, and the message says so; a
            // deadline later still (a long OKIENKO_OFFER_MINUTES) names its day.
            let today = now.with_timezone(&TIME_ZONE).date_naive();
            let day = until.map(|t| t.date_naive()).unwrap_or(today);
            let overnight = today.succ_opt() == Some(day);
            let until = until
                .map(|t| {
                    let time = t.format("%-H:%M").to_string();
                    if day == today || overnight {
                        time
                    } else {
                        format!("{} {time}", words.day_button(day))
                    }
                })
                .unwrap_or_default();
            let text = services.locales.text(
                lang,
                if overnight {
                    "limits-offer-overnight"
                } else {
                    "offer"
                },
                &[
                    ("service", svc.place.name.get(lang).into()),
                    ("when", when.into()),
                    ("until", until.into()),
                ],
            );
            let keyboard = InlineKeyboardMarkup::new([[
                button("offer-take", CallbackAction::OfferTake(booking.id)),
                button("offer-decline", CallbackAction::OfferDecline(booking.id)),
            ]]);
            Message::Send(text, Some(keyboard))
        }
        Kind::Moved => {
            if booking.status != Status::Active || booking.slot_start <= now {
                return Ok(Message::Drop("the visit changed again".into()));
            }
            let text = services.locales.text(
                lang,
                "moved-by-centre",
                &[
                    ("service", svc.place.name.get(lang).into()),
                    ("when", when.into()),
                ],
            );
            Message::Send(text, Some(visit_buttons()))
        }
        Kind::OfferExpired => {
            // The person keeps their place on the list: said, with the way to leave it.
            let service = svc.place.short.get(lang);
            let text = services.locales.text(
                lang,
                "limits-offer-expired",
                &[("service", service.into()), ("when", when.into())],
            );
            let leave = booking.waiting_id.map(|list| {
                let label = words.t("wait-leave", &[("service", service.into())]);
                InlineKeyboardMarkup::new([[InlineKeyboardButton::callback(
                    label,
                    CallbackAction::WaitLeave(list).encode(),
                )]])
            });
            Message::Send(text, leave)
        }
        Kind::Closure => {
            let text = services.locales.text(
                lang,
                "closure-cancelled",
                &[
                    ("service", svc.place.name.get(lang).into()),
                    ("when", when.into()),
                    ("reason", job.text.clone().unwrap_or_default().into()),
                ],
            );
            let keyboard = InlineKeyboardMarkup::new([
                vec![button(
                    "closure-rebook",
                    CallbackAction::Book(Some(booking.service_key.clone())),
                )],
                vec![button("menu-back", CallbackAction::Home)],
            ]);
            Message::Send(text, Some(keyboard))
        }
        Kind::Staff => staff_message(job),
        Kind::Reply => reply_message(job),
        Kind::Announcement => Message::Drop("no announcement".into()),
    })
}

/// An announcement to one subscriber, under its topic's name, with the way to leave the topic;
/// not sent when the person left it since.
async fn announcement(services: &Services, id: i64, chat_id: i64) -> anyhow::Result<Message> {
    let Some((text, topic, lang)) = crate::db::news::for_job(&services.pool, id, chat_id).await?
    else {
        return Ok(Message::Drop("the person left the news".into()));
    };
    let lang = lang.unwrap_or(Lang::Pl);
    let words = Words::new(services, lang);
    let name = super::news::topic_name(services, &topic, lang);
    let framed = services.locales.text(
        lang,
        "news-message",
        &[("topic", name.into()), ("text", text.into())],
    );
    let keyboard = InlineKeyboardMarkup::new([[InlineKeyboardButton::callback(
        words.plain("news-leave"),
        CallbackAction::NewsLeave(topic).encode(),
    )]]);
    Ok(Message::Send(framed, Some(keyboard)))
}

/// When an announcement's last job is done: the staff member who posted it gets the count of
/// delivered, blocked and failed (once, whichever worker finishes last).
async fn report_announcement(services: &Services, id: i64, now: DateTime<Utc>) {
    let written = async {
        let Some(report) =
            crate::db::news::take_report(&services.pool, id, outbox::BLOCKED, now).await?
        else {
            return anyhow::Ok(());
        };
        let lang = report.staff_lang.unwrap_or(Lang::Pl);
        let text = services.locales.text(
            lang,
            "news-report",
            &[
                (
                    "topic",
                    super::news::topic_name(services, &report.topic, lang).into(),
                ),
                ("recipients", report.recipients.into()),
                ("delivered", report.delivered.into()),
                ("blocked", report.blocked.into()),
                ("failed", report.failed.into()),
                ("left", report.left.into()),
            ],
        );
        let mut tx = services.pool.begin().await?;
        let job = NewJob::Staff {
            chat_id: report.staff_chat,
            text,
        };
        outbox::enqueue(&mut tx, &[job], now).await?;
        tx.commit().await?;
        Ok(())
    };
    if let Err(error) = written.await {
        tracing::warn!(
            error = format!("{error:#}"),
            "cannot report an announcement"
        );
    }
}

/// A staff notice: its text was written with the job.
fn staff_message(job: &Job) -> Message {
    match &job.text {
        Some(text) => Message::Send(text.clone(), None),
        None => Message::Drop("no text".into()),
    }
}

/// A reply Telegram held back: its text and buttons as the handler wrote them.
fn reply_message(job: &Job) -> Message {
    let Some(text) = &job.text else {
        return Message::Drop("no text".into());
    };
    let keyboard = job.keyboard.as_ref().and_then(|keyboard| {
        serde_json::from_value(keyboard.0.clone())
            .inspect_err(|error| {
                tracing::warn!(job = job.id, %error, "a reply's buttons are unreadable; sent without them");
            })
            .ok()
    });
    Message::Send(text.clone(), keyboard)
}

fn backoff(attempts: i32) -> chrono::Duration {
    chrono::Duration::seconds(2i64.pow(attempts.clamp(0, 10) as u32))
        .min(chrono::Duration::minutes(10))
}

async fn deliver(sender: &Sender, services: &Services, job: &Job) -> Outcome {
    let message = match build(services, job).await {
        Ok(message) => message,
        Err(error) => {
            return Outcome::Retry(
                services.clock.now() + backoff(job.attempts),
                format!("{error:#}"),
            )
        }
    };
    let (text, keyboard) = match message {
        Message::Send(text, keyboard) => (text, keyboard),
        Message::Drop(why) => return Outcome::Dropped(why),
    };
    let place = sender.window.enter().await;
    let request = sender.bot.send_message(ChatId(job.chat_id), text);
    let sent = match keyboard {
        Some(keyboard) => request.reply_markup(keyboard).await,
        None => request.await,
    };
    drop(place);
    let now = services.clock.now();
    if let Err(error) = &sent {
        crate::ops::metrics::telegram_error(error);
    }
    match sent {
        Ok(_) => Outcome::Sent,
        Err(RequestError::RetryAfter(wait)) => Outcome::Retry(
            now + chrono::Duration::seconds(i64::from(wait.seconds())),
            "flood control".into(),
        ),
        Err(RequestError::Api(
            ApiError::BotBlocked | ApiError::UserDeactivated | ApiError::BotKicked,
        )) => {
            if let Err(error) = outbox::mark_unreachable(&services.pool, job.chat_id, now).await {
                tracing::warn!(%error, "cannot mark a person unreachable");
            }
            Outcome::Failed(outbox::BLOCKED.into())
        }
        // Telegram out of reach: not a failure of this message, which waits for the network
        // however long it is away (a reminder ends by itself once its visit starts).
        Err(error @ (RequestError::Network(_) | RequestError::Io(_))) => Outcome::Retry(
            now + backoff(job.attempts).min(NETWORK_PAUSE),
            error.to_string(),
        ),
        Err(error @ RequestError::Api(ApiError::Unknown(_))) => {
            if job.attempts >= MAX_ATTEMPTS {
                Outcome::Failed(format!("gave up after {} attempts: {error}", job.attempts))
            } else {
                Outcome::Retry(now + backoff(job.attempts), error.to_string())
            }
        }
        Err(error) => Outcome::Failed(error.to_string()),
    }
}

/// A job given up: the staff are told (unless the job was itself a staff notice).
async fn tell_staff_of_failure(services: &Services, job: &Job, why: &str, now: DateTime<Utc>) {
    // A staff notice's failure would go where it failed; a reply is the person's conversation.
    if matches!(job.kind, Kind::Staff | Kind::Reply) || services.staff_chats.is_empty() {
        return;
    }
    let text = services.locales.text(
        Lang::Pl,
        "staff-delivery-failed",
        &[
            ("kind", job.kind.as_str().into()),
            ("chat", job.chat_id.to_string().into()),
            ("why", why.into()),
        ],
    );
    let jobs = NewJob::to_staff_chats(&services.staff_chats, &text);
    let written = async {
        let mut tx = services.pool.begin().await?;
        outbox::enqueue(&mut tx, &jobs, now).await?;
        tx.commit().await
    };
    if let Err(error) = written.await {
        tracing::warn!(%error, "cannot tell the staff of a failed job");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reply(text: Option<&str>, keyboard: Option<serde_json::Value>) -> Job {
        Job {
            id: 1,
            kind: Kind::Reply,
            booking_id: None,
            chat_id: 7,
            text: text.map(str::to_owned),
            due_at: Utc::now(),
            attempts: 1,
            leased_attempt: Some(1),
            announcement_id: None,
            keyboard: keyboard.map(sqlx::types::Json),
        }
    }

    #[test]
    fn a_held_back_reply_is_sent_as_it_was_written() {
        let buttons = InlineKeyboardMarkup::new([[
            InlineKeyboardButton::callback("🕐 Godziny", "c:cps:h"),
            InlineKeyboardButton::url(
                "Mapa",
                url::Url::parse("https://example.org/").expect("a URL"),
            ),
        ]]);
        let stored = serde_json::to_value(&buttons).expect("JSON");
        let Message::Send(text, Some(keyboard)) =
            reply_message(&reply(Some("Tekst"), Some(stored)))
        else {
            panic!("not sent with its buttons");
        };
        assert_eq!(text, "Tekst");
        assert_eq!(keyboard, buttons);

        // Buttons this version cannot read: the text still goes, without them.
        let odd = serde_json::json!({"rows": 3});
        assert!(matches!(
            reply_message(&reply(Some("Tekst"), Some(odd))),
            Message::Send(_, None)
        ));
        // Its text erased (the person erased their data): nothing to send.
        assert!(matches!(
            reply_message(&reply(None, None)),
            Message::Drop(_)
        ));
        assert_eq!(Kind::try_from("reply".to_owned()).ok(), Some(Kind::Reply));
        assert_eq!(Kind::Reply.as_str(), "reply");
    }
}
