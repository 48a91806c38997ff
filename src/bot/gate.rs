//! The door before the dispatcher: every update from Telegram passes here first, before it reaches
//! a chat's queue, so that no one chat can hold up the others. A person gets a budget of updates a
//! minute (`OKIENKO_FLOOD_PER_MINUTE`); past it they are told once that the bot needs a moment, and
//! the rest is dropped until the minute is over. The bot works in private chats only: a group,
//! supergroup or channel is told once that it does, and nothing it sends (buttons included) goes
//! further. Only incoming updates are refused here: notices to staff groups go out as before.

use std::{
    collections::{HashMap, HashSet},
    num::NonZeroU32,
    sync::{
        atomic::{AtomicU64, Ordering},
        Arc, Mutex,
    },
    time::Duration,
};

use futures::{future, stream::BoxStream, StreamExt};
use governor::{
    clock::{Clock, DefaultClock},
    middleware::NoOpMiddleware,
    state::keyed::HashMapStateStore,
    Quota, RateLimiter,
};
use teloxide::{
    prelude::*,
    stop::StopToken,
    types::{AllowedUpdate, ChatId, UpdateKind},
    update_listeners::{AsUpdateStream, UpdateListener},
    RequestError,
};

use super::{send, Services};
use crate::{db, i18n::Lang};

/// How long a person who went over the budget is not answered (and told nothing more).
pub const WINDOW: Duration = Duration::from_secs(60);

/// What becomes of one update from one person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Within the budget: it goes on to the handlers.
    Pass,
    /// The first one over the budget: dropped, and the person is told to wait a moment.
    Tell,
    /// Over the budget and already told: dropped without a word.
    Drop,
}

/// Updates a minute per person: governor's keyed limiter (a burst of the whole budget, refilled
/// evenly over the minute), and for whoever went over it, the instant until which they are quiet.
pub struct Budget<C: Clock = DefaultClock> {
    limiter: RateLimiter<i64, HashMapStateStore<i64>, C, NoOpMiddleware<C::Instant>>,
    quiet: Mutex<HashMap<i64, C::Instant>>,
    clock: C,
    seen: AtomicU64,
}

/// How often (in updates) people who have been quiet long enough are forgotten.
const TIDY_EVERY: u64 = 1024;

impl Budget {
    pub fn per_minute(updates: NonZeroU32) -> Self {
        Self::with_clock(updates, DefaultClock::default())
    }
}

impl<C: Clock + Clone> Budget<C> {
    pub fn with_clock(updates: NonZeroU32, clock: C) -> Self {
        Self {
            limiter: RateLimiter::new(
                Quota::per_minute(updates),
                HashMapStateStore::default(),
                clock.clone(),
            ),
            quiet: Mutex::new(HashMap::new()),
            clock,
            seen: AtomicU64::new(0),
        }
    }

    /// Counts one update from `person` (a Telegram user id, or the chat's id when no user sent it).
    pub fn check(&self, person: i64) -> Verdict {
        let now = self.clock.now();
        let mut quiet = self
            .quiet
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if self.seen.fetch_add(1, Ordering::Relaxed) % TIDY_EVERY == TIDY_EVERY - 1 {
            quiet.retain(|_, until| now < *until);
            self.limiter.retain_recent();
        }
        if let Some(until) = quiet.get(&person) {
            if now < *until {
                return Verdict::Drop;
            }
            quiet.remove(&person);
        }
        match self.limiter.check_key(&person) {
            Ok(()) => Verdict::Pass,
            Err(_) => {
                quiet.insert(person, now + WINDOW.into());
                Verdict::Tell
            }
        }
    }
}

/// The gate: the budget, and the groups already told that the bot works in private chats.
pub struct Gate {
    bot: Bot,
    services: Services,
    budget: Budget,
    told_groups: Mutex<HashSet<i64>>,
}

impl Gate {
    pub fn new(bot: Bot, services: Services, per_minute: NonZeroU32) -> Arc<Self> {
        Arc::new(Self {
            bot,
            services,
            budget: Budget::per_minute(per_minute),
            told_groups: Mutex::new(HashSet::new()),
        })
    }

    /// Whether `update` goes on to the dispatcher; what it costs is decided here, without waiting
    /// (a notice is sent by a task of its own).
    pub fn admit(self: &Arc<Self>, update: &Update) -> bool {
        if let Some(chat) = update.chat().filter(|chat| !chat.is_private()) {
            let says_something = matches!(
                update.kind,
                UpdateKind::Message(_) | UpdateKind::ChannelPost(_)
            );
            if says_something && self.first_time_here(chat.id.0) {
                let hint = update.from().and_then(|u| u.language_code.clone());
                tokio::spawn(Arc::clone(self).tell_group(chat.id, hint));
            }
            tracing::debug!(
                update_id = update.id.0,
                "an update from a group or channel is not taken"
            );
            return false;
        }
        let person = match (update.from(), update.chat()) {
            (Some(user), _) => i64::try_from(user.id.0).unwrap_or(i64::MAX),
            (None, Some(chat)) => chat.id.0,
            // Nobody to count or answer (kinds the bot does not handle): the dispatcher ignores it.
            (None, None) => return true,
        };
        match self.budget.check(person) {
            Verdict::Pass => true,
            Verdict::Tell => {
                tracing::warn!(
                    update_id = update.id.0,
                    "a person went over the update budget; told once, the rest dropped"
                );
                if let Some(chat) = update.chat() {
                    let hint = update.from().and_then(|u| u.language_code.clone());
                    tokio::spawn(Arc::clone(self).tell_slow_down(chat.id, person, hint));
                }
                false
            }
            Verdict::Drop => false,
        }
    }

    /// True once per group in this process (the database then says whether it is ever the first).
    fn first_time_here(&self, chat: i64) -> bool {
        self.told_groups
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .insert(chat)
    }

    async fn tell_slow_down(self: Arc<Self>, chat: ChatId, person: i64, hint: Option<String>) {
        // The database is asked briefly: a flood must not queue up reads of it.
        let saved = tokio::time::timeout(
            Duration::from_secs(2),
            db::user::language(&self.services.pool, person),
        )
        .await
        .ok()
        .and_then(Result::ok)
        .flatten();
        let lang = Lang::resolve(saved, hint.as_deref());
        let text = self.services.locales.plain(lang, "flood-slow-down");
        self.send_in_background(chat, text).await;
    }

    async fn tell_group(self: Arc<Self>, chat: ChatId, hint: Option<String>) {
        let now = self.services.clock.now();
        let first = db::group_chat::first_word(&self.services.pool, chat.0, now);
        match self.services.health.ask(first).await {
            Ok(true) => {}
            Ok(false) => return,
            Err(error) => {
                tracing::warn!(%error, "cannot tell whether a group was told already; staying quiet");
                return;
            }
        }
        let me = match send::retrying(|| self.bot.get_me().send()).await {
            Ok(me) => me,
            Err(error) => {
                tracing::warn!(%error, "cannot learn the bot's own name");
                return;
            }
        };
        let lang = Lang::resolve(None, hint.as_deref());
        let bot = format!("@{}", me.username());
        let text = self
            .services
            .locales
            .text(lang, "flood-private-only", &[("bot", bot.into())]);
        self.send_in_background(chat, text).await;
    }

    /// Sends outside any handler: when Telegram asks to wait longer than a reply may, the wait
    /// (up to a minute) is taken here, where it holds up no one, and the message is tried once more.
    async fn send_in_background(&self, chat: ChatId, text: String) {
        let outcome = match send::text(&self.bot, chat, text.clone(), None).await {
            Err(RequestError::RetryAfter(wait)) if wait.duration() <= WINDOW => {
                tokio::time::sleep(wait.duration()).await;
                send::text(&self.bot, chat, text, None).await
            }
            outcome => outcome,
        };
        if let Err(error) = outcome {
            tracing::warn!(%error, "a notice from the gate was not delivered");
        }
    }
}

/// The update listener (long polling) with the gate in front: what the gate refuses never reaches
/// the dispatcher, so it takes no place in a chat's queue and never makes polling wait.
pub struct Gated<L> {
    inner: L,
    gate: Arc<Gate>,
}

impl<L> Gated<L> {
    pub fn new(inner: L, gate: Arc<Gate>) -> Self {
        Self { inner, gate }
    }
}

impl<'a, L> AsUpdateStream<'a> for Gated<L>
where
    L: AsUpdateStream<'a>,
    L::StreamErr: Send + 'a,
{
    type StreamErr = L::StreamErr;
    type Stream = BoxStream<'a, Result<Update, L::StreamErr>>;

    fn as_stream(&'a mut self) -> Self::Stream {
        let gate = Arc::clone(&self.gate);
        self.inner
            .as_stream()
            .filter(move |update| {
                future::ready(match update {
                    Ok(update) => gate.admit(update),
                    Err(_) => true,
                })
            })
            .boxed()
    }
}

impl<L> UpdateListener for Gated<L>
where
    L: UpdateListener,
    Self: for<'a> AsUpdateStream<'a, StreamErr = L::Err>,
{
    type Err = L::Err;

    fn stop_token(&mut self) -> StopToken {
        self.inner.stop_token()
    }

    /// What the handlers take, and channel posts too (so that a channel can be told the bot
    /// works in private chats).
    fn hint_allowed_updates(&mut self, hint: &mut dyn Iterator<Item = AllowedUpdate>) {
        let mut allowed: Vec<AllowedUpdate> = hint.collect();
        if !allowed.contains(&AllowedUpdate::ChannelPost) {
            allowed.push(AllowedUpdate::ChannelPost);
        }
        self.inner.hint_allowed_updates(&mut allowed.into_iter());
    }
}

#[cfg(test)]
mod tests {
    use governor::clock::FakeRelativeClock;

    use super::*;

    #[test]
    fn past_the_budget_one_word_then_silence_until_the_minute_is_over() {
        let clock = FakeRelativeClock::default();
        let budget = Budget::with_clock(NonZeroU32::new(3).expect("3"), clock.clone());
        let anna = 1;
        let piotr = 2;
        for _ in 0..3 {
            assert_eq!(budget.check(anna), Verdict::Pass);
        }
        assert_eq!(budget.check(anna), Verdict::Tell);
        for _ in 0..50 {
            assert_eq!(budget.check(anna), Verdict::Drop);
        }
        // Someone else is not touched by Anna's flood.
        assert_eq!(budget.check(piotr), Verdict::Pass);
        // A refill within the minute does not end the silence.
        clock.advance(Duration::from_secs(30));
        assert_eq!(budget.check(anna), Verdict::Drop);
        clock.advance(Duration::from_secs(31));
        // The minute is over: the budget is back, in full.
        for _ in 0..3 {
            assert_eq!(budget.check(anna), Verdict::Pass);
        }
        assert_eq!(budget.check(anna), Verdict::Tell);
    }
}
