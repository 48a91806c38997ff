//! What every handler needs to know about the update in hand: whose chat it is, in which language
//! to answer, and where the conversation is. Built once per update from one read of the database
//! ([`db::update::read`]); a person already known costs no write (their `last_seen` is gathered
//! and written in batches, see [`db::user::Seen`]). When the database does not answer the bot
//! still answers, in the language Telegram hints at, with the conversation unknown.

use std::sync::Arc;

use teloxide::{
    dispatching::{dialogue::Dialogue, DpHandlerDescription},
    prelude::*,
    types::{CallbackQuery, ChatId, Message, User},
};

use super::{
    state::{BotDialogue, State},
    HandlerResult, Services,
};
use crate::{
    db::{self, dialogue::PgStorage},
    i18n::Lang,
};

#[derive(Clone, Debug)]
pub struct Ctx {
    pub chat: ChatId,
    pub user_id: i64,
    pub lang: Lang,
    /// No language chosen yet, and Telegram's hint names one the bot does not speak: offer the
    /// choice on /start.
    pub offer_languages: bool,
    /// The version of the closures table read with this update (none when the read failed).
    pub exceptions: Option<i64>,
}

/// The context, the dialogue and its state, from the one read; handed to the handlers by
/// [`entered`].
#[derive(Clone)]
pub struct Arrival {
    ctx: Ctx,
    dialogue: BotDialogue,
    state: State,
}

impl Ctx {
    async fn build(
        services: &Services,
        storage: &PgStorage,
        shared: Arc<PgStorage>,
        chat: ChatId,
        user: &User,
    ) -> Arrival {
        let user_id = i64::try_from(user.id.0).unwrap_or(i64::MAX);
        let hint = user.language_code.as_deref();
        let read = db::update::read(&services.pool, user_id, chat.0);
        let known = match services.health.ask(read).await {
            Ok(known) => known,
            Err(error) => {
                tracing::warn!(%error, "cannot read the user and the dialogue; answering without them");
                return Arrival {
                    ctx: Ctx::new(chat, user_id, None, hint, None),
                    dialogue: Dialogue::new(shared, chat),
                    state: State::Unknown,
                };
            }
        };
        let now = services.clock.now();
        if known.person && !known.unreachable {
            services.seen.note(user_id, now);
        } else {
            // Someone new (or back after being found unreachable): recorded at once, so that
            // their row exists for what this update may write about them.
            let touch = db::user::touch(&services.pool, user_id, now);
            if let Err(error) = services.health.ask(touch).await {
                tracing::warn!(%error, "cannot record the user");
            }
        }
        let state = storage.state(&known.dialogue).unwrap_or_default();
        let dialogue = Dialogue::new(storage.for_update(known.dialogue), chat);
        Arrival {
            ctx: Ctx::new(chat, user_id, known.language, hint, Some(known.exceptions)),
            dialogue,
            state,
        }
    }

    fn new(
        chat: ChatId,
        user_id: i64,
        saved: Option<Lang>,
        hint: Option<&str>,
        exceptions: Option<i64>,
    ) -> Ctx {
        Ctx {
            chat,
            user_id,
            lang: Lang::resolve(saved, hint),
            offer_languages: saved.is_none()
                && hint
                    .is_some_and(|code| Lang::from_code(code.get(..2).unwrap_or(code)).is_none()),
            exceptions,
        }
    }

    /// Private messages from a person; channel posts and messages without a sender are skipped.
    pub async fn from_message(
        message: Message,
        services: Services,
        storage: Arc<PgStorage>,
    ) -> Option<Arrival> {
        let user = message.from.as_ref().filter(|u| !u.is_bot)?;
        Some(Self::build(&services, &storage, storage.clone(), message.chat.id, user).await)
    }

    /// A button pressed on a message of the bot's (buttons of inline messages are not taken).
    pub async fn from_callback(
        query: CallbackQuery,
        services: Services,
        storage: Arc<PgStorage>,
    ) -> Option<Arrival> {
        let chat = query.message.as_ref()?.chat().id;
        Some(Self::build(&services, &storage, storage.clone(), chat, &query.from).await)
    }
}

/// The context, the dialogue and its state for the handlers after it (as teloxide's
/// `enter_dialogue` gives the last two, but from the read that also gave the context).
pub fn entered() -> Handler<'static, HandlerResult, DpHandlerDescription> {
    dptree::map(|arrival: Arrival| arrival.ctx)
        .map(|arrival: Arrival| arrival.dialogue)
        .map(|arrival: Arrival| arrival.state)
}
