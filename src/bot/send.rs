//! Talking back to Telegram: every request the bot makes goes through [`retrying`], which waits out
//! Telegram's flood control (`RetryAfter`) when the wait is short, and retries network failures
//! with a growing pause. A longer wait is not taken: a reply that sleeps holds up its chat's queue.
//! A text a handler sends is then put off to the outbox, due when Telegram lets it through (see
//! [`putting_off`]); a button's answer is dropped.

use std::{future::Future, time::Duration};

use sqlx::PgPool;
use teloxide::{
    prelude::*,
    types::{CallbackQueryId, InlineKeyboardMarkup, Message, MessageId},
    RequestError,
};

use crate::{
    clock::Clock,
    db::outbox::{self, NewJob},
};

/// How many times a request is tried before its error is returned.
const ATTEMPTS: u32 = 4;

/// The longest `retry_after` waited out inside a request; a longer one is returned as the error
/// (the outbox, which owns its own waits, and the gate's notices take it from there).
pub const LONGEST_WAIT: Duration = Duration::from_secs(5);

/// Runs `request` until it succeeds, fails for good, or has been tried [`ATTEMPTS`] times.
pub async fn retrying<T, F, Fut>(request: F) -> Result<T, RequestError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, RequestError>>,
{
    retrying_within(Duration::MAX, request).await
}

/// [`retrying`], with at most `patience` spent in all on Telegram's waits: the flood-control
/// error that would go past it is returned.
async fn retrying_within<T, F, Fut>(patience: Duration, mut request: F) -> Result<T, RequestError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, RequestError>>,
{
    let mut attempt = 1;
    let mut waited = Duration::ZERO;
    loop {
        let outcome = request().await;
        if let Err(error) = &outcome {
            crate::ops::metrics::telegram_error(error);
        }
        let pause = match outcome {
            Err(RequestError::RetryAfter(wait))
                if attempt < ATTEMPTS
                    && wait.duration() <= LONGEST_WAIT
                    && waited.saturating_add(wait.duration()) <= patience =>
            {
                tracing::warn!(seconds = wait.seconds(), "Telegram asked to slow down");
                waited += wait.duration();
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

/// Where a handler's texts go when Telegram holds them back longer than [`LONGEST_WAIT`]: the
/// outbox, written with the bot's clock.
#[derive(Clone)]
pub struct Outbox {
    pub pool: PgPool,
    pub clock: Clock,
}

tokio::task_local! {
    /// The outbox of the update being handled (set by [`putting_off`]).
    static OUTBOX: Outbox;
}

/// Runs the handling of one update so that a text Telegram holds back for long (429 with a
/// `retry_after` longer than [`LONGEST_WAIT`]) is not lost and holds up nobody: [`text`] writes
/// it to `outbox`, due when Telegram lets it through, and the handler goes on at once.
pub async fn putting_off<F: Future>(outbox: Outbox, handling: F) -> F::Output {
    OUTBOX.scope(outbox, handling).await
}

/// How long writing a held-back text to the outbox may take before it is given up as lost.
const PUT_OFF_PATIENCE: Duration = Duration::from_secs(5);

/// Sends a text, with an inline keyboard when given: `Some` of the message sent, or `None` when
/// Telegram held it back for long and it was put off to the outbox (inside [`putting_off`], where
/// Telegram's waits are taken up to [`LONGEST_WAIT`] in all).
pub async fn text(
    bot: &Bot,
    chat: ChatId,
    text: String,
    keyboard: Option<InlineKeyboardMarkup>,
) -> Result<Option<Message>, RequestError> {
    let patience = match OUTBOX.try_with(|_| ()) {
        Ok(()) => LONGEST_WAIT,
        Err(_) => Duration::MAX,
    };
    let sent = retrying_within(patience, || {
        let request = bot.send_message(chat, text.clone());
        let request = match &keyboard {
            Some(keyboard) => request.reply_markup(keyboard.clone()),
            None => request,
        };
        async move { request.await }
    })
    .await;
    let wait = match sent {
        Err(RequestError::RetryAfter(wait)) => wait,
        sent => return sent.map(Some),
    };
    let Ok(outbox) = OUTBOX.try_with(Outbox::clone) else {
        return Err(RequestError::RetryAfter(wait));
    };
    let due_at = outbox.clock.now() + chrono::Duration::seconds(i64::from(wait.seconds()));
    let job = NewJob::Reply {
        chat_id: chat.0,
        text,
        keyboard: keyboard.and_then(|keyboard| serde_json::to_value(keyboard).ok()),
        due_at,
    };
    let written = async {
        let mut tx = outbox.pool.begin().await?;
        outbox::enqueue(&mut tx, &[job], outbox.clock.now()).await?;
        tx.commit().await
    };
    match tokio::time::timeout(PUT_OFF_PATIENCE, written).await {
        Ok(Ok(())) => {
            tracing::warn!(
                seconds = wait.seconds(),
                "Telegram held a reply back; it goes through the outbox"
            );
            Ok(None)
        }
        Ok(Err(error)) => {
            tracing::error!(%error, "a reply Telegram held back could not be put off; lost");
            Err(RequestError::RetryAfter(wait))
        }
        Err(_) => {
            tracing::error!("a reply Telegram held back could not be put off in time; lost");
            Err(RequestError::RetryAfter(wait))
        }
    }
}

/// Sends a file (a calendar entry, a person's data, an export) with a caption.
pub async fn document(
    bot: &Bot,
    chat: ChatId,
    file: teloxide::types::InputFile,
    caption: String,
) -> Result<Message, RequestError> {
    retrying(|| {
        bot.send_document(chat, file.clone())
            .caption(caption.clone())
            .send()
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

/// Stops the spinner on a pressed button, with a short notice when given. An answer Telegram
/// holds back for long is dropped (the spinner stops by itself; the reply to the press follows as
/// a text), not an error that would bring an apology.
pub async fn answer_button(
    bot: &Bot,
    query_id: &CallbackQueryId,
    notice: Option<String>,
) -> Result<(), RequestError> {
    let answered = retrying(|| {
        let request = bot.answer_callback_query(query_id.clone());
        let request = match &notice {
            Some(notice) => request.text(notice.clone()),
            None => request,
        };
        async move { request.await }
    })
    .await;
    match answered {
        Ok(_) => Ok(()),
        Err(RequestError::RetryAfter(wait)) => {
            tracing::warn!(
                seconds = wait.seconds(),
                "Telegram held a button's answer back; dropped"
            );
            Ok(())
        }
        Err(error) => Err(error),
    }
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
    async fn short_flood_waits_add_up_to_the_patience_at_most() {
        let calls = AtomicU32::new(0);
        let started = tokio::time::Instant::now();
        let outcome: Result<(), _> = retrying_within(LONGEST_WAIT, || {
            calls.fetch_add(1, Ordering::SeqCst);
            async { Err(RequestError::RetryAfter(Seconds::from_seconds(3))) }
        })
        .await;
        assert!(matches!(outcome, Err(RequestError::RetryAfter(_))));
        // 3 s waited, and 3 s more would be past the 5 s: given up on the second refusal.
        assert_eq!(calls.load(Ordering::SeqCst), 2);
        assert_eq!(started.elapsed(), Duration::from_secs(3));

        // Without a patience, each short wait is taken until the attempts run out.
        let calls = AtomicU32::new(0);
        let outcome: Result<(), _> = retrying(|| {
            calls.fetch_add(1, Ordering::SeqCst);
            async { Err(RequestError::RetryAfter(Seconds::from_seconds(3))) }
        })
        .await;
        assert!(matches!(outcome, Err(RequestError::RetryAfter(_))));
        assert_eq!(calls.load(Ordering::SeqCst), ATTEMPTS);
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
