//! Talking back to Telegram: every request the bot makes goes through [`retrying`], which waits out
//! Telegram's flood control (`RetryAfter`) when the wait is short, and retries network failures
//! with a growing pause. A longer wait is given up: a reply that sleeps holds up its chat's queue.

use std::{future::Future, time::Duration};

use teloxide::{
    prelude::*,
    types::{CallbackQueryId, InlineKeyboardMarkup, Message, MessageId},
    RequestError,
};

/// How many times a request is tried before its error is returned.
const ATTEMPTS: u32 = 4;

/// The longest `retry_after` waited out inside a request; a longer one is returned as the error
/// (the outbox, which owns its own waits, and the gate's notices take it from there).
pub const LONGEST_WAIT: Duration = Duration::from_secs(5);

/// Runs `request` until it succeeds, fails for good, or has been tried [`ATTEMPTS`] times.
pub async fn retrying<T, F, Fut>(mut request: F) -> Result<T, RequestError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, RequestError>>,
{
    let mut attempt = 1;
    loop {
        let outcome = request().await;
        if let Err(error) = &outcome {
            crate::ops::metrics::telegram_error(error);
        }
        let pause = match outcome {
            Err(RequestError::RetryAfter(wait))
                if attempt < ATTEMPTS && wait.duration() <= LONGEST_WAIT =>
            {
                tracing::warn!(seconds = wait.seconds(), "Telegram asked to slow down");
                wait.duration()
            }
            Err(error @ (RequestError::Network(_) | RequestError::Io(_))) if attempt < ATTEMPTS => {
                let pause = Duration::from_millis(500 * 2u64.pow(attempt));
                tracing::warn!(%error, attempt, "a request to Telegram failed; retrying");
                pause
            }
            outcome => return outcome,
        };
        tokio::time::sleep(pause).await;
        attempt += 1;
    }
}

/// Sends a text, with an inline keyboard when given.
pub async fn text(
    bot: &Bot,
    chat: ChatId,
    text: String,
    keyboard: Option<InlineKeyboardMarkup>,
) -> Result<Message, RequestError> {
    retrying(|| {
        let request = bot.send_message(chat, text.clone());
        let request = match &keyboard {
            Some(keyboard) => request.reply_markup(keyboard.clone()),
            None => request,
        };
        async move { request.await }
    })
    .await
}

/// Takes the buttons off a message whose step is over, so that an old press cannot contradict
/// what happened; a message already without them, or gone, is left as it is.
pub async fn clear_buttons(bot: &Bot, chat: ChatId, message: MessageId) {
    let result = retrying(|| bot.edit_message_reply_markup(chat, message).send()).await;
    if let Err(error) = result {
        tracing::debug!(%error, "the buttons of a finished step stay");
    }
}

/// Stops the spinner on a pressed button, with a short notice when given.
pub async fn answer_button(
    bot: &Bot,
    query_id: &CallbackQueryId,
    notice: Option<String>,
) -> Result<(), RequestError> {
    retrying(|| {
        let request = bot.answer_callback_query(query_id.clone());
        let request = match &notice {
            Some(notice) => request.text(notice.clone()),
            None => request,
        };
        async move { request.await }
    })
    .await
    .map(|_| ())
}

#[cfg(test)]
mod tests {
    use std::sync::{
        atomic::{AtomicU32, Ordering},
        Arc,
    };

    use teloxide::types::Seconds;

    use super::*;

    fn network_error() -> RequestError {
        RequestError::Io(Arc::new(std::io::Error::new(
            std::io::ErrorKind::ConnectionReset,
            "reset",
        )))
    }

    #[tokio::test(start_paused = true)]
    async fn flood_control_and_network_errors_are_retried_then_given_up() {
        let calls = AtomicU32::new(0);
        let started = tokio::time::Instant::now();
        let outcome = retrying(|| {
            let call = calls.fetch_add(1, Ordering::SeqCst);
            async move {
                match call {
                    0 => Err(RequestError::RetryAfter(Seconds::from_seconds(3))),
                    1 => Err(network_error()),
                    _ => Ok(call),
                }
            }
        })
        .await;
        assert_eq!(outcome.ok(), Some(2));
        // 3 s asked by Telegram, then 2 s of backoff after the second attempt (500 ms × 2²).
        assert_eq!(started.elapsed(), Duration::from_secs(5));

        let calls = AtomicU32::new(0);
        let outcome: Result<(), _> = retrying(|| {
            calls.fetch_add(1, Ordering::SeqCst);
            async { Err(network_error()) }
        })
        .await;
        assert!(matches!(outcome, Err(RequestError::Io(_))));
        assert_eq!(calls.load(Ordering::SeqCst), ATTEMPTS);
    }

    #[tokio::test(start_paused = true)]
    async fn a_long_flood_wait_is_given_up_at_once() {
        let calls = AtomicU32::new(0);
        let started = tokio::time::Instant::now();
        let outcome: Result<(), _> = retrying(|| {
            calls.fetch_add(1, Ordering::SeqCst);
            async { Err(RequestError::RetryAfter(Seconds::from_seconds(30))) }
        })
        .await;
        assert!(matches!(outcome, Err(RequestError::RetryAfter(_))));
        assert_eq!(calls.load(Ordering::SeqCst), 1);
        assert_eq!(started.elapsed(), Duration::ZERO);
    }

    #[tokio::test(start_paused = true)]
    async fn a_refusal_is_not_retried() {
        let calls = AtomicU32::new(0);
        let outcome: Result<(), _> = retrying(|| {
            calls.fetch_add(1, Ordering::SeqCst);
            async { Err(RequestError::Api(teloxide::ApiError::BotBlocked)) }
        })
        .await;
        assert!(outcome.is_err());
        assert_eq!(calls.load(Ordering::SeqCst), 1);
    }
}
