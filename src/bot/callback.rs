//! Button presses: the callback data the bot puts on its buttons, parsed back into a
//! [`CallbackAction`]. The data comes from the user's client and is untrusted: anything that does
//! not parse is `None`, and the user is told the button is stale.

use crate::{i18n::Lang, understanding::Aspect};

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

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CallbackAction {
    /// Show the main menu again.
    Home,
    Menu(MenuItem),
    SetLanguage(Lang),
    /// A centre: its card and places, or one aspect of it (hours, address, contact).
    Centre(String, Option<Aspect>),
    /// A place: its card, or one aspect of it.
    Place(String, Option<Aspect>),
    NgoOffer,
    Documents,
}

fn aspect_code(aspect: Aspect) -> &'static str {
    match aspect {
        Aspect::Hours | Aspect::OpenNow => "h",
        Aspect::Address => "a",
        Aspect::Contact => "k",
        Aspect::Overview => "o",
    }
}

fn parse_aspect(code: &str) -> Option<Aspect> {
    match code {
        "h" => Some(Aspect::Hours),
        "a" => Some(Aspect::Address),
        "k" => Some(Aspect::Contact),
        _ => None,
    }
}

/// A directory key as the file allows it; whether it exists is checked by the handler.
fn key(text: &str) -> Option<String> {
    let ok = !text.is_empty()
        && text.len() <= 24
        && text
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    ok.then(|| text.to_owned())
}

/// `key` or `key:aspect`.
fn target(value: &str) -> Option<(String, Option<Aspect>)> {
    match value.split_once(':') {
        None => Some((key(value)?, None)),
        Some((k, code)) => Some((key(k)?, Some(parse_aspect(code)?))),
    }
}

impl CallbackAction {
    /// The callback data for this action (at most 64 bytes, as Telegram requires).
    pub fn encode(&self) -> String {
        let with_aspect = |kind: &str, key: &str, aspect: &Option<Aspect>| match aspect {
            None => format!("{kind}:{key}"),
            Some(aspect) => format!("{kind}:{key}:{}", aspect_code(*aspect)),
        };
        match self {
            CallbackAction::Home => "home".to_owned(),
            CallbackAction::Menu(item) => format!("m:{}", item.key()),
            CallbackAction::SetLanguage(lang) => format!("lang:{}", lang.code()),
            CallbackAction::Centre(key, aspect) => with_aspect("c", key, aspect),
            CallbackAction::Place(key, aspect) => with_aspect("p", key, aspect),
            CallbackAction::NgoOffer => "ngo".to_owned(),
            CallbackAction::Documents => "docs".to_owned(),
        }
    }

    pub fn parse(data: &str) -> Option<Self> {
        match data {
            "home" => return Some(CallbackAction::Home),
            "ngo" => return Some(CallbackAction::NgoOffer),
            "docs" => return Some(CallbackAction::Documents),
            _ => {}
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
            "c" => target(value).map(|(key, aspect)| CallbackAction::Centre(key, aspect)),
            "p" => target(value).map(|(key, aspect)| CallbackAction::Place(key, aspect)),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_survives_the_round_trip() {
        let mut actions = vec![
            CallbackAction::Home,
            CallbackAction::NgoOffer,
            CallbackAction::Documents,
        ];
        actions.extend(MenuItem::ALL.map(CallbackAction::Menu));
        actions.extend(Lang::ALL.map(CallbackAction::SetLanguage));
        let longest = "a-key-of-twenty-four-chr".to_owned();
        for aspect in [
            None,
            Some(Aspect::Hours),
            Some(Aspect::Address),
            Some(Aspect::Contact),
        ] {
            actions.push(CallbackAction::Centre("cps".into(), aspect));
            actions.push(CallbackAction::Place(longest.clone(), aspect));
        }
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
