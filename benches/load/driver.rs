//! The simulated users: each a Telegram user who types and presses buttons through the emulator
//! in process, and reads the bot's replies from the emulator as they are recorded.

use std::{
    collections::VecDeque,
    time::{Duration, Instant},
};

use okienko::emulator::{ChatMessage, Emulator, Event, EventKind, UserProfile};
use tokio::sync::mpsc::UnboundedReceiver;

/// How long a user waits for a reply before the step counts as failed.
pub const PATIENCE: Duration = Duration::from_secs(20);
/// The consent question's "I agree" (before a first booking).
const CONSENT_YES: &str = "cy";

/// The message that ended a wait.
pub struct Reply {
    pub message: ChatMessage,
}

/// Why a step did not end as expected.
#[derive(Debug)]
pub enum StepError {
    /// Nothing fitting came within [`PATIENCE`].
    Timeout(&'static str),
    /// The emulator refused the update (a button under a message it no longer has).
    Refused(String),
}

impl std::fmt::Display for StepError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StepError::Timeout(what) => write!(f, "no {what} within {} s", PATIENCE.as_secs()),
            StepError::Refused(why) => write!(f, "the emulator refused: {why}"),
        }
    }
}

pub struct User {
    pub profile: UserProfile,
    emulator: Emulator,
    events: UnboundedReceiver<(Instant, Event)>,
    /// The bot's recent messages in this chat, newest last (for their buttons).
    recent: VecDeque<ChatMessage>,
    /// Latencies of this user's updates (time to the bot's first reply).
    pub latencies: Vec<Duration>,
}

impl User {
    pub async fn new(emulator: &Emulator, id: i64) -> Self {
        let events = emulator.listen_chat(id).await;
        Self {
            profile: UserProfile::new(id, "Bench", Some("pl")),
            emulator: emulator.clone(),
            events,
            recent: VecDeque::new(),
            latencies: Vec::new(),
        }
    }

    fn remember(&mut self, message: &ChatMessage) {
        if let Some(known) = self
            .recent
            .iter_mut()
            .find(|m| m.message_id == message.message_id)
        {
            *known = message.clone();
        } else {
            self.recent.push_back(message.clone());
            if self.recent.len() > 8 {
                self.recent.pop_front();
            }
        }
    }

    /// Takes in what arrived since the last step without waiting.
    fn drain(&mut self) {
        while let Ok((_, event)) = self.events.try_recv() {
            if let EventKind::Sent { message } | EventKind::Edited { message } = &event.kind {
                self.remember(message);
            }
        }
    }

    /// When the bot next did anything in this chat, waiting up to `patience`.
    pub async fn next_event(&mut self, patience: Duration) -> Option<Instant> {
        match tokio::time::timeout(patience, self.events.recv()).await {
            Ok(Some((at, _))) => Some(at),
            _ => None,
        }
    }

    /// Types `text`; waits for a message for which `done` holds.
    pub async fn say(
        &mut self,
        text: &str,
        what: &'static str,
        done: impl Fn(&ChatMessage) -> bool,
    ) -> Result<Reply, StepError> {
        self.drain();
        self.emulator.send_text(&self.profile, text).await;
        let sent = Instant::now();
        self.wait(sent, what, done).await
    }

    /// Presses the newest button whose callback data `pick` chooses among those offered.
    pub async fn press(
        &mut self,
        pick: impl Fn(&[(i64, String)]) -> Option<(i64, String)>,
        what: &'static str,
        done: impl Fn(&ChatMessage) -> bool,
    ) -> Result<Reply, StepError> {
        self.drain();
        let offered: Vec<(i64, String)> = self
            .recent
            .iter()
            .rev()
            .filter(|m| !m.deleted)
            .flat_map(|m| {
                m.inline_keyboard
                    .iter()
                    .flatten()
                    .filter_map(|b| Some((m.message_id, b.callback_data.clone()?)))
                    .collect::<Vec<_>>()
            })
            .collect();
        let Some((message_id, data)) = pick(&offered) else {
            return Err(StepError::Refused(format!("no button for {what}")));
        };
        self.emulator
            .press(&self.profile, message_id, &data)
            .await
            .map_err(|e| StepError::Refused(format!("{e:?}")))?;
        let sent = Instant::now();
        self.wait(sent, what, done).await
    }

    /// Waits for the bot's messages until one satisfies `done`, pressing "I agree" when the
    /// consent question comes (that press is an update of its own). The latency recorded is the
    /// time to the first message or edit after the update.
    async fn wait(
        &mut self,
        mut sent: Instant,
        what: &'static str,
        done: impl Fn(&ChatMessage) -> bool,
    ) -> Result<Reply, StepError> {
        let deadline = tokio::time::Instant::now() + PATIENCE;
        let mut first: Option<Duration> = None;
        loop {
            let next = tokio::time::timeout_at(deadline, self.events.recv()).await;
            let Ok(Some((at, event))) = next else {
                return Err(StepError::Timeout(what));
            };
            let message = match event.kind {
                EventKind::Sent { message } | EventKind::Edited { message } => message,
                _ => continue,
            };
            self.remember(&message);
            let latency = *first.get_or_insert_with(|| at.saturating_duration_since(sent));
            let asks_consent = message
                .inline_keyboard
                .iter()
                .flatten()
                .any(|b| b.callback_data.as_deref() == Some(CONSENT_YES));
            if asks_consent {
                self.latencies.push(latency);
                first = None;
                self.emulator
                    .press(&self.profile, message.message_id, CONSENT_YES)
                    .await
                    .map_err(|e| StepError::Refused(format!("{e:?}")))?;
                sent = Instant::now();
                continue;
            }
            if done(&message) {
                self.latencies.push(latency);
                return Ok(Reply { message });
            }
        }
    }
}

/// Whether a message has a button whose data starts with `prefix`.
pub fn has_button(message: &ChatMessage, prefix: &str) -> bool {
    message.inline_keyboard.iter().flatten().any(|b| {
        b.callback_data
            .as_deref()
            .is_some_and(|d| d.starts_with(prefix))
    })
}

/// A pick of the first offered button with data starting with `prefix`.
pub fn first_with(prefix: &'static str) -> impl Fn(&[(i64, String)]) -> Option<(i64, String)> {
    move |offered| offered.iter().find(|(_, d)| d.starts_with(prefix)).cloned()
}

/// A pick of one offered button with data starting with `prefix`, chosen by `seed`, so that many
/// users spread over the days and times offered rather than all wanting the first.
pub fn any_with(
    prefix: &'static str,
    seed: u64,
) -> impl Fn(&[(i64, String)]) -> Option<(i64, String)> {
    move |offered| {
        // Only the newest message's buttons of that kind: older ones may be stale.
        let newest = offered.iter().find(|(_, d)| d.starts_with(prefix))?.0;
        let fitting: Vec<&(i64, String)> = offered
            .iter()
            .filter(|(m, d)| *m == newest && d.starts_with(prefix))
            .collect();
        let mixed = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15).rotate_left(17);
        fitting
            .get((mixed % fitting.len() as u64) as usize)
            .map(|b| (*b).clone())
    }
}
