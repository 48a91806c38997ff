//! Talking back to Telegram: every request the bot makes goes through [`retrying`], which waits out
//! Telegram's flood control (`RetryAfter`) and retries network failures with a growing pause.

use std::{future::Future, time::Duration};

use teloxide::{
    prelude::*,
    types::{CallbackQueryId, InlineKeyboardMarkup, Message},
    RequestError,
};

/// How many times a request is tried before its error is returned.
const ATTEMPTS: u32 = 4;

/// Runs `request` until it succeeds, fails for good, or has been tried [`ATTEMPTS`] times.
pub async fn retrying<T, F, Fut>(mut request: F) -> Result<T, RequestError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, RequestError>>,
{
    let mut attempt = 1;
    loop {
        let pause = match request().await {
            Err(RequestError::RetryAfter(wait)) if attempt < ATTEMPTS => {
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
