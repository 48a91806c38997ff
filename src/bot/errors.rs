//! Around every update: a tracing span that names it (update id, kind, chat), so that every log
//! line of its handling carries them; and when a handler fails, the cause chain goes to the log
//! and the person gets a short apology in their language: that the records are briefly out of
//! reach when the database is, a plain one otherwise. A handler is given [`PATIENCE`] at most, so
//! that a dead network (which answers nothing, not even an error) never leaves a person waiting
//! for good. Other chats are served on as usual. A text Telegram holds back for long is put off to
//! the outbox ([`send::putting_off`]): not a failure, so no apology.

use std::{ops::ControlFlow, sync::Arc, time::Duration};

use dptree::{di::DependencyMap, HandlerDescription, HandlerSignature};
use teloxide::{
    dispatching::DpHandlerDescription,
    error_handlers::ErrorHandler,
    prelude::*,
    types::{Update, UpdateKind},
};
use tracing::Instrument;

use super::{send, Services};
use crate::{
    db,
    i18n::Lang,
    ops::metrics::{self, UpdateOutcome},
};

/// The layer around the whole handler tree: runs it inside the update's span, and when it ends
/// in an error, logs the causes (in the span) and apologises.
pub fn traced_and_apologizing() -> Handler<'static, anyhow::Result<()>, DpHandlerDescription> {
    dptree::from_fn_with_description(
        DpHandlerDescription::entry(),
        |deps: DependencyMap, next| {
            // At the error level, so that it is on whatever the filter: a warning or an error of
            // the update always says which update it was.
            let span = match deps.try_get::<Update>() {
                Some(update) => tracing::error_span!(
                    "update",
                    id = update.id.0,
                    kind = kind(&update.kind),
                    chat_id = update.chat().map(|chat| chat.id.0),
                ),
                None => tracing::error_span!("update"),
            };
            let outbox = deps.try_get::<Services>().map(|services| send::Outbox {
                pool: services.pool.clone(),
                clock: services.clock.clone(),
            });
            let kind = deps
                .try_get::<Update>()
                .map_or("other", |update| kind(&update.kind));
            let started = std::time::Instant::now();
            async move {
                let handling = next(deps.clone());
                let handling = async move {
                    match outbox {
                        Some(outbox) => send::putting_off(outbox, handling).await,
                        None => handling.await,
                    }
                };
                let Ok(outcome) = tokio::time::timeout(PATIENCE, handling).await else {
                    metrics::update(kind, UpdateOutcome::TimedOut, started.elapsed());
                    tracing::error!(?PATIENCE, "an update was given up: no answer in time");
                    apologize(&deps, Apology::Unreachable).await;
                    return ControlFlow::Break(Err(anyhow::anyhow!("given up after {PATIENCE:?}")));
                };
                if let ControlFlow::Break(Err(error)) = &outcome {
                    tracing::error!(
                        error = format!("{error:#}"),
                        "an update could not be handled"
                    );
                    apologize(&deps, Apology::of(error)).await;
                }
                let counted = match &outcome {
                    ControlFlow::Break(Ok(())) => UpdateOutcome::Handled,
                    ControlFlow::Break(Err(_)) => UpdateOutcome::Failed,
                    ControlFlow::Continue(_) => UpdateOutcome::Ignored,
                };
                metrics::update(kind, counted, started.elapsed());
                outcome
            }
            .instrument(span)
        },
        HandlerSignature::Entry,
    )
}

/// The kind of an update, for the logs.
fn kind(kind: &UpdateKind) -> &'static str {
    match kind {
        UpdateKind::Message(_) => "message",
        UpdateKind::EditedMessage(_) => "edited_message",
        UpdateKind::ChannelPost(_) | UpdateKind::EditedChannelPost(_) => "channel_post",
        UpdateKind::CallbackQuery(_) => "callback_query",
        UpdateKind::MyChatMember(_) | UpdateKind::ChatMember(_) => "chat_member",
        _ => "other",
    }
}

/// How long the handling of one update may take: longer than a busy database is waited for
/// ([`db::health::BUSY_PATIENCE`]) and a reply's retries, shorter than a person waits.
pub const PATIENCE: Duration = Duration::from_secs(30);

/// Which apology a failure gets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Apology {
    /// The database is out of reach (gone, reset, timed out): the records are, briefly.
    Unreachable,
    /// Anything else.
    Plain,
}

impl Apology {
    fn of(error: &anyhow::Error) -> Self {
        let unreachable = error.chain().any(|cause| {
            cause
                .downcast_ref::<sqlx::Error>()
                .is_some_and(db::health::is_unreachable)
        });
        if unreachable {
            Apology::Unreachable
        } else {
            Apology::Plain
        }
    }
}

async fn apologize(deps: &DependencyMap, apology: Apology) {
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
    let id = match apology {
        Apology::Unreachable => {
            // The next reads are given only a moment, so that questions are answered at once.
            services.health.failed();
            "database-unavailable"
        }
        Apology::Plain => "error-apology",
    };
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
    let text = services.locales.plain(lang, id);
    if let Err(error) = send::text(&bot, chat.id, text, None).await {
        tracing::error!(%error, "could not send the apology");
    }
}

/// The dispatcher's error handler: a failed update was already logged, with its causes, inside
/// its span by [`traced_and_apologizing`]; nothing is left to do here.
pub struct LoggedInTheSpan;

impl ErrorHandler<anyhow::Error> for LoggedInTheSpan {
    fn handle_error(
        self: Arc<Self>,
        _error: anyhow::Error,
    ) -> futures::future::BoxFuture<'static, ()> {
        Box::pin(async {})
    }
}
