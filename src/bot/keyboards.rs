//! The inline keyboards the bot shows, with labels from the locales.

use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup};

use super::callback::{CallbackAction, MenuItem};
use crate::i18n::{Lang, Locales};

fn button(label: String, action: CallbackAction) -> InlineKeyboardButton {
    InlineKeyboardButton::callback(label, action.encode())
}

/// The main menu: two buttons a row, big enough for a thumb.
pub fn main_menu(locales: &Locales, lang: Lang) -> InlineKeyboardMarkup {
    let buttons: Vec<InlineKeyboardButton> = MenuItem::ALL
        .into_iter()
        .map(|item| {
            button(
                locales.plain(lang, item.label_id()),
                CallbackAction::Menu(item),
            )
        })
        .collect();
    InlineKeyboardMarkup::new(buttons.chunks(2).map(<[_]>::to_vec))
}

/// A single "back to the main menu" button.
pub fn back(locales: &Locales, lang: Lang) -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new([[button(
        locales.plain(lang, "menu-back"),
        CallbackAction::Home,
    )]])
}

/// The language choice, each language named in itself.
pub fn languages(locales: &Locales, lang: Lang) -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new([[
        button(
            locales.plain(lang, "language-pl"),
            CallbackAction::SetLanguage(Lang::Pl),
        ),
        button(
            locales.plain(lang, "language-en"),
            CallbackAction::SetLanguage(Lang::En),
        ),
    ]])
}
