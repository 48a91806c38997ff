//! What the polling listener's failures mean to an operator: each one counted in `/metrics` by
//! its code and logged; a token that Telegram keeps refusing stops the bot, for a revoked token
//! never heals, and a process that polls in vain looks alive to every monitor (found by an
//! outside operator: `/readyz` 200 while every getUpdates answered 401).

use std::{
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use futures::future::BoxFuture;
use teloxide::{dispatching::ShutdownToken, error_handlers::ErrorHandler, ApiError, RequestError};

use crate::ops::metrics;

/// Refusals of the token in a row (each within [`STREAK_GAP`] of the last) that stop the bot.
const REFUSALS_TO_STOP: u32 = 3;
/// A refusal later than this after the previous one starts a new streak.
const STREAK_GAP: Duration = Duration::from_secs(60);

/// The polling listener's error handler.
pub struct PollingErrors {
    stop: ShutdownToken,
    streak: Mutex<Option<(Instant, u32)>>,
}

impl PollingErrors {
    /// Stops the dispatcher behind `stop` when the token is refused for good.
    pub fn new(stop: ShutdownToken) -> Arc<Self> {
        Arc::new(Self {
            stop,
            streak: Mutex::new(None),
        })
    }

    /// Counts a refusal of the token; whether the streak is long enough to stop.
    fn refused(&self) -> bool {
        let now = Instant::now();
        let Ok(mut streak) = self.streak.lock() else {
            return false;
        };
        let count = match *streak {
            Some((last, count)) if now.duration_since(last) <= STREAK_GAP => count + 1,
            _ => 1,
        };
        *streak = Some((now, count));
        count >= REFUSALS_TO_STOP
    }
}

impl ErrorHandler<RequestError> for PollingErrors {
    fn handle_error(self: Arc<Self>, error: RequestError) -> BoxFuture<'static, ()> {
        Box::pin(async move {
            metrics::telegram_error(&error);
            match &error {
                RequestError::Api(ApiError::InvalidToken) => {
                    if self.refused() {
                        tracing::error!(
                            "Telegram refuses TELOXIDE_TOKEN (revoked, or replaced in @BotFather): \
                             stopping; set the new token and start the bot again"
                        );
                        // Not from here: the dispatcher awaits this handler, and a shutdown
                        // asked while it is not waiting for one is missed. A moment later it
                        // waits again (for the next poll), and hears it.
                        let stop = self.stop.clone();
                        tokio::spawn(async move {
                            tokio::time::sleep(Duration::from_millis(200)).await;
                            let _ = stop.shutdown();
                        });
                    } else {
                        tracing::error!("Telegram refused TELOXIDE_TOKEN while polling");
                    }
                }
                RequestError::Api(ApiError::TerminatedByOtherGetUpdates) => tracing::error!(
                    "another program polls Telegram with this token (409 Conflict): only one may; \
                     stop the other one, or run both in webhook mode"
                ),
                other => tracing::warn!(error = %other, "cannot get updates from the Bot API"),
            }
        })
    }
}
