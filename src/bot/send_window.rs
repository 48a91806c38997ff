//! The outbox's ceiling on messages a second, kept strictly as Telegram sees it.
//!
//! teloxide's `Throttle` counts a message when it lets it go, and lets up to thirty go at once
//! each time a second has passed since the last thirty were let go; the requests then take their
//! own time to arrive, so Telegram can see a thirty-first inside one second (the load bench saw
//! it, on loopback). This window counts a message from when its request starts until its answer
//! is back, and lets a message start only when the one `rate` messages before it was answered at
//! least a second ago. Every message reaches Telegram between its start and its answer, so in any
//! second Telegram receives at most `rate` of them, however the network delays them. The price:
//! each second of sending is stretched by the time a message spends from entering the window to
//! its answer: one round trip (from a city server to Telegram about a tenth of a second) and the
//! wait inside `Throttle`, which lets messages go on its quarter-second ticks. In the load bench,
//! on loopback, that made 28 a second of a configured 30.

use std::{collections::VecDeque, sync::Mutex, time::Duration};

use tokio::{sync::Notify, time::Instant};

/// The length of the window `rate` is counted in.
const SECOND: Duration = Duration::from_secs(1);

/// At most `rate` messages in any one second, counted from the start of one to the answer of
/// the one `rate` after it.
pub struct SendWindow {
    rate: usize,
    state: Mutex<State>,
    answered: Notify,
}

/// The last messages started, oldest first: each with the instant its answer came, or None while
/// it is in flight. `first` is the number of the oldest.
struct State {
    first: u64,
    sent: VecDeque<Option<Instant>>,
}

/// One message's place in the window: dropped when its answer is back (or its request given up).
pub struct Ticket<'a> {
    window: &'a SendWindow,
    number: u64,
}

enum Wait {
    Until(Instant),
    ForAnAnswer,
}

impl SendWindow {
    /// A window of `rate` messages a second (one at the least).
    pub fn new(rate: u32) -> Self {
        let rate = (rate as usize).max(1);
        Self {
            rate,
            state: Mutex::new(State {
                first: 0,
                sent: VecDeque::with_capacity(rate),
            }),
            answered: Notify::new(),
        }
    }

    /// Waits until a message may start, and holds its place until the ticket is dropped.
    pub async fn enter(&self) -> Ticket<'_> {
        loop {
            // Registered before the state is read, so that an answer in between is not missed.
            let answered = self.answered.notified();
            tokio::pin!(answered);
            answered.as_mut().enable();
            let wait = {
                let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
                let now = Instant::now();
                while state.sent.len() >= self.rate {
                    match state.sent.front() {
                        Some(Some(answered)) if *answered + SECOND <= now => {
                            state.sent.pop_front();
                            state.first += 1;
                        }
                        _ => break,
                    }
                }
                if state.sent.len() < self.rate {
                    let number = state.first + state.sent.len() as u64;
                    state.sent.push_back(None);
                    return Ticket {
                        window: self,
                        number,
                    };
                }
                match state.sent.front() {
                    Some(Some(answered)) => Wait::Until(*answered + SECOND),
                    _ => Wait::ForAnAnswer,
                }
            };
            match wait {
                Wait::Until(instant) => tokio::time::sleep_until(instant).await,
                Wait::ForAnAnswer => answered.await,
            }
        }
    }
}

impl Drop for Ticket<'_> {
    fn drop(&mut self) {
        let mut state = self.window.state.lock().unwrap_or_else(|e| e.into_inner());
        let first = state.first;
        if let Some(place) = self
            .number
            .checked_sub(first)
            .and_then(|index| state.sent.get_mut(index as usize))
        {
            *place = Some(Instant::now());
        }
        drop(state);
        self.window.answered.notify_waiters();
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

    /// The most starts and the most answers in any one second of `events` (start, answer).
    fn busiest(events: &[(Instant, Instant)]) -> usize {
        events
            .iter()
            .flat_map(|(start, answer)| [start, answer])
            .map(|start| {
                // Received at the latest when answered, at the earliest when started: the most
                // that can fall in [start, start + 1 s) as Telegram sees them.
                events
                    .iter()
                    .filter(|(other_start, other_answer)| {
                        *other_answer >= *start && *other_start < *start + SECOND
                    })
                    .count()
            })
            .max()
            .unwrap_or(0)
    }

    async fn send_all(
        window: Arc<SendWindow>,
        count: usize,
        round_trip: fn(usize) -> u64,
    ) -> Vec<(Instant, Instant)> {
        let tasks: Vec<_> = (0..count)
            .map(|index| {
                let window = Arc::clone(&window);
                tokio::spawn(async move {
                    let _ticket = window.enter().await;
                    let started = Instant::now();
                    tokio::time::sleep(Duration::from_millis(round_trip(index))).await;
                    (started, Instant::now())
                })
            })
            .collect();
        let mut events = Vec::new();
        for task in tasks {
            events.push(task.await.expect("a sender"));
        }
        events.sort();
        events
    }

    #[tokio::test(start_paused = true)]
    async fn quick_answers_go_at_the_rate_and_never_above_it() {
        let began = Instant::now();
        let events = send_all(Arc::new(SendWindow::new(30)), 300, |_| 1).await;
        assert!(busiest(&events) <= 30, "{}", busiest(&events));
        let took = events
            .last()
            .map(|(_, answer)| *answer - began)
            .unwrap_or_default();
        // 300 at 30 a second: ten windows after the first, each stretched by a round trip.
        assert!(
            took >= Duration::from_secs(9) && took < Duration::from_millis(9_100),
            "{took:?}"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn uneven_round_trips_never_let_more_than_the_rate_arrive_in_a_second() {
        // Some answers take long, some come at once: the window waits for the slow ones.
        let events = send_all(Arc::new(SendWindow::new(30)), 200, |index| {
            [1, 400, 3, 900, 20][index % 5]
        })
        .await;
        assert_eq!(events.len(), 200);
        assert!(busiest(&events) <= 30, "{}", busiest(&events));
    }

    #[tokio::test(start_paused = true)]
    async fn a_request_given_up_frees_its_place() {
        let window = SendWindow::new(1);
        drop(window.enter().await);
        let began = Instant::now();
        let _second = window.enter().await;
        assert_eq!(Instant::now() - began, SECOND);
    }
}
