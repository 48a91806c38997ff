//! Button presses: the callback data the bot puts on its buttons, parsed back into a
//! [`CallbackAction`]. The data comes from the user's client and is untrusted: anything that does
//! not parse is `None`, and the user is told the button is stale.

use crate::i18n::Lang;

/// The entries of the main menu.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MenuItem {
    Hours,
    Services,
    Book,
    Visits,
    Contact,
    Language,
}

impl MenuItem {
    pub const ALL: [MenuItem; 6] = [
        MenuItem::Hours,
        MenuItem::Services,
        MenuItem::Book,
        MenuItem::Visits,
        MenuItem::Contact,
        MenuItem::Language,
    ];

    fn key(self) -> &'static str {
        match self {
            MenuItem::Hours => "hours",
            MenuItem::Services => "services",
            MenuItem::Book => "book",
            MenuItem::Visits => "visits",
            MenuItem::Contact => "contact",
            MenuItem::Language => "lang",
        }
    }

    /// The fluent id of the button's label.
    pub fn label_id(self) -> &'static str {
        match self {
            MenuItem::Hours => "menu-hours",
            MenuItem::Services => "menu-services",
            MenuItem::Book => "menu-book",
            MenuItem::Visits => "menu-visits",
            MenuItem::Contact => "menu-contact",
            MenuItem::Language => "menu-language",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CallbackAction {
    /// Show the main menu again.
    Home,
    Menu(MenuItem),
    SetLanguage(Lang),
}

impl CallbackAction {
    /// The callback data for this action (at most 64 bytes, as Telegram requires).
    pub fn encode(self) -> String {
        match self {
            CallbackAction::Home => "home".to_owned(),
            CallbackAction::Menu(item) => format!("m:{}", item.key()),
            CallbackAction::SetLanguage(lang) => format!("lang:{}", lang.code()),
        }
    }

    pub fn parse(data: &str) -> Option<Self> {
        if data == "home" {
            return Some(CallbackAction::Home);
        }
        let (kind, value) = data.split_once(':')?;
        match kind {
            "m" => MenuItem::ALL
                .into_iter()
                .find(|i| i.key() == value)
                .map(CallbackAction::Menu),
            "lang" => Lang::from_code(value)
                .filter(|l| l.code() == value)
                .map(CallbackAction::SetLanguage),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_survives_the_round_trip() {
        let mut actions = vec![CallbackAction::Home];
        actions.extend(MenuItem::ALL.map(CallbackAction::Menu));
        actions.extend(Lang::ALL.map(CallbackAction::SetLanguage));
        for action in actions {
            let data = action.encode();
            assert!(!data.is_empty() && data.len() <= 64);
            assert_eq!(CallbackAction::parse(&data), Some(action), "{data}");
        }
    }

    #[test]
    fn garbage_is_refused() {
        for data in [
            "",
            "m:",
            "m:nope",
            "lang:de",
            "lang:EN",
            "home ",
            "x:y",
            ":",
            "m:hours:1",
            "💥",
        ] {
            assert_eq!(CallbackAction::parse(data), None, "{data:?}");
        }
    }
}
