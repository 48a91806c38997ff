//! When a handler fails: the cause chain goes to the log, and the person gets a short apology in
//! their language. Other chats are served on as usual.

use std::{ops::ControlFlow, sync::Arc, time::Duration};

use dptree::{di::DependencyMap, HandlerDescription, HandlerSignature};
use teloxide::{
    dispatching::DpHandlerDescription, error_handlers::ErrorHandler, prelude::*, types::Update,
};

use super::{send, Services};
use crate::{db, i18n::Lang};

/// A layer around the whole handler tree: runs it, and when it ends in an error, apologises.
pub fn apologize_on_error() -> Handler<'static, anyhow::Result<()>, DpHandlerDescription> {
    dptree::from_fn_with_description(
        DpHandlerDescription::entry(),
        |deps: DependencyMap, next| async move {
            let outcome = next(deps.clone()).await;
            if let ControlFlow::Break(Err(_)) = &outcome {
                apologize(&deps).await;
            }
            outcome
        },
        HandlerSignature::Entry,
    )
}

async fn apologize(deps: &DependencyMap) {
    let (Some(update), Some(bot), Some(services)) = (
        deps.try_get::<Update>(),
        deps.try_get::<Bot>(),
        deps.try_get::<Services>(),
    ) else {
        return;
    };
    let (Some(chat), Some(user)) = (update.chat(), update.from()) else {
        return;
    };
    let user_id = i64::try_from(user.id.0).unwrap_or(i64::MAX);
    // The database may be the very thing that failed: ask it briefly, then fall back to the hint.
    let saved = tokio::time::timeout(
        Duration::from_secs(2),
        db::user::language(&services.pool, user_id),
    )
    .await
    .ok()
    .and_then(Result::ok)
    .flatten();
    let lang = Lang::resolve(saved, user.language_code.as_deref());
    let text = services.locales.plain(lang, "error-apology");
    if let Err(error) = send::text(&bot, chat.id, text, None).await {
        tracing::error!(chat_id = chat.id.0, %error, "could not send the apology");
    }
}

/// Logs a failed update with its whole cause chain.
pub struct LogWithCauses;

impl ErrorHandler<anyhow::Error> for LogWithCauses {
    fn handle_error(
        self: Arc<Self>,
        error: anyhow::Error,
    ) -> futures::future::BoxFuture<'static, ()> {
        tracing::error!(
            error = format!("{error:#}"),
            "an update could not be handled"
        );
        Box::pin(async {})
    }
}
