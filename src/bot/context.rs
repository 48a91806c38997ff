//! What every handler needs to know about the update in hand: whose chat it is and in which
//! language to answer. Built once per update; the database is asked for the saved language, and
//! when it does not answer the bot still answers, in the language Telegram hints at.

use teloxide::types::{CallbackQuery, ChatId, Message, User};

use super::Services;
use crate::{db, i18n::Lang};

#[derive(Clone, Debug)]
pub struct Ctx {
    pub chat: ChatId,
    pub user_id: i64,
    pub lang: Lang,
    /// No language chosen yet, and Telegram's hint names one the bot does not speak: offer the
    /// choice on /start.
    pub offer_languages: bool,
}

impl Ctx {
    async fn build(services: &Services, chat: ChatId, user: &User) -> Ctx {
        let user_id = i64::try_from(user.id.0).unwrap_or(i64::MAX);
        let touch = db::user::touch(&services.pool, user_id, services.clock.now());
        let saved = match services.health.ask(touch).await {
            Ok(saved) => saved,
            Err(error) => {
                tracing::warn!(%error, "cannot read the user's language; using Telegram's hint");
                None
            }
        };
        let hint = user.language_code.as_deref();
        Ctx {
            chat,
            user_id,
            lang: Lang::resolve(saved, hint),
            offer_languages: saved.is_none()
                && hint
                    .is_some_and(|code| Lang::from_code(code.get(..2).unwrap_or(code)).is_none()),
        }
    }

    /// Private messages from a person; channel posts and messages without a sender are skipped.
    pub async fn from_message(message: Message, services: Services) -> Option<Ctx> {
        let user = message.from.as_ref().filter(|u| !u.is_bot)?;
        Some(Self::build(&services, message.chat.id, user).await)
    }

    pub async fn from_callback(query: CallbackQuery, services: Services) -> Option<Ctx> {
        let chat = query
            .message
            .as_ref()
            .map(|m| m.chat().id)
            .unwrap_or(ChatId(query.from.id.0 as i64));
        Some(Self::build(&services, chat, &query.from).await)
    }
}
