//! The inline keyboards the bot shows, with labels from the locales.

use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup};

use super::callback::{CallbackAction, MenuItem};
use crate::{
    directory::{Centre, Directory, Need, Place},
    i18n::{Lang, Locales},
    understanding::Aspect,
};

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
    InlineKeyboardMarkup::new([Lang::ALL.map(|choice| {
        button(
            locales.plain(lang, &format!("language-{}", choice.code())),
            CallbackAction::SetLanguage(choice),
        )
    })])
}

pub fn back_to_menu(locales: &Locales, lang: Lang) -> InlineKeyboardButton {
    button(locales.plain(lang, "menu-back"), CallbackAction::Home)
}

fn aspects(
    locales: &Locales,
    lang: Lang,
    make: impl Fn(Option<Aspect>) -> CallbackAction,
) -> Vec<InlineKeyboardButton> {
    vec![
        button(locales.plain(lang, "nav-hours"), make(Some(Aspect::Hours))),
        button(
            locales.plain(lang, "nav-address"),
            make(Some(Aspect::Address)),
        ),
        button(
            locales.plain(lang, "nav-contact"),
            make(Some(Aspect::Contact)),
        ),
    ]
}

/// One row per centre, named in full.
fn centre_rows(lang: Lang, directory: &Directory) -> Vec<Vec<InlineKeyboardButton>> {
    let centre = |c: &Centre| {
        button(
            c.name.get(lang).to_owned(),
            CallbackAction::Centre(c.key.clone(), None),
        )
    };
    directory.centres.iter().map(|c| vec![centre(c)]).collect()
}

/// One button per centre, and the way back.
pub fn centres(locales: &Locales, lang: Lang, directory: &Directory) -> InlineKeyboardMarkup {
    let mut rows = centre_rows(lang, directory);
    rows.push(vec![back_to_menu(locales, lang)]);
    InlineKeyboardMarkup::new(rows)
}

/// A centre: its places (two a row), its hours, address and contact, the NGO offer where it has
/// one, and the way back.
pub fn centre(
    locales: &Locales,
    lang: Lang,
    directory: &Directory,
    centre: &Centre,
) -> InlineKeyboardMarkup {
    let places: Vec<InlineKeyboardButton> = directory
        .places_of(&centre.key)
        .map(|p| {
            button(
                p.short.get(lang).to_owned(),
                CallbackAction::Place(p.key.clone(), None),
            )
        })
        .collect();
    let mut rows: Vec<Vec<InlineKeyboardButton>> = places.chunks(2).map(<[_]>::to_vec).collect();
    rows.push(aspects(locales, lang, |aspect| {
        CallbackAction::Centre(centre.key.clone(), aspect)
    }));
    if !centre.offer_ngo.is_empty() {
        rows.push(vec![button(
            locales.plain(lang, "nav-ngo"),
            CallbackAction::NgoOffer,
        )]);
    }
    if centre.news {
        rows.push(vec![button(
            locales.plain(lang, "news-join"),
            CallbackAction::NewsJoin(centre.key.clone()),
        )]);
    }
    rows.push(vec![back_to_menu(locales, lang)]);
    InlineKeyboardMarkup::new(rows)
}

/// After a centre's hours, address or contact: the other two, the whole centre (its places), and
/// the menu; not every place of a large centre under a one-line answer.
pub fn centre_aspect(locales: &Locales, lang: Lang, centre: &Centre) -> InlineKeyboardMarkup {
    let whole = locales.text(
        lang,
        "nav-back-to",
        &[("name", centre.short.get(lang).into())],
    );
    InlineKeyboardMarkup::new([
        aspects(locales, lang, |aspect| {
            CallbackAction::Centre(centre.key.clone(), aspect)
        }),
        vec![
            button(whole, CallbackAction::Centre(centre.key.clone(), None)),
            back_to_menu(locales, lang),
        ],
    ])
}

/// A place: its hours, address and contact, booking where it takes bookings, back to its
/// centre, back to the menu.
pub fn place(
    locales: &Locales,
    lang: Lang,
    place: &Place,
    centre: &Centre,
) -> InlineKeyboardMarkup {
    let back = locales.text(
        lang,
        "nav-back-to",
        &[("name", centre.short.get(lang).into())],
    );
    let mut rows = vec![aspects(locales, lang, |aspect| {
        CallbackAction::Place(place.key.clone(), aspect)
    })];
    if place.booking.is_some() {
        rows.push(vec![button(
            locales.plain(lang, "menu-book"),
            CallbackAction::Book(Some(place.key.clone())),
        )]);
    }
    if place.news {
        rows.push(vec![button(
            locales.plain(lang, "news-join"),
            CallbackAction::NewsJoin(place.key.clone()),
        )]);
    }
    rows.push(vec![
        button(back, CallbackAction::Centre(centre.key.clone(), None)),
        back_to_menu(locales, lang),
    ]);
    InlineKeyboardMarkup::new(rows)
}

/// An everyday need: a button for each place and centre that meets it, and the menu.
pub fn need(
    locales: &Locales,
    lang: Lang,
    directory: &Directory,
    need: &Need,
) -> InlineKeyboardMarkup {
    let mut rows: Vec<Vec<InlineKeyboardButton>> = Vec::new();
    for place in need.places.iter().filter_map(|key| directory.place(key)) {
        rows.push(vec![button(
            place.short.get(lang).to_owned(),
            CallbackAction::Place(place.key.clone(), None),
        )]);
    }
    for centre in need.centres.iter().filter_map(|key| directory.centre(key)) {
        rows.push(vec![button(
            centre.name.get(lang).to_owned(),
            CallbackAction::Centre(centre.key.clone(), None),
        )]);
    }
    rows.push(vec![back_to_menu(locales, lang)]);
    InlineKeyboardMarkup::new(rows)
}

/// A "book" button for each place that takes bookings, and the menu.
pub fn bookable(locales: &Locales, lang: Lang, directory: &Directory) -> InlineKeyboardMarkup {
    let mut rows: Vec<Vec<InlineKeyboardButton>> = directory
        .places
        .iter()
        .filter(|p| p.booking.is_some())
        .map(|place| {
            vec![button(
                format!("📅 {}", place.short.get(lang)),
                CallbackAction::Book(Some(place.key.clone())),
            )]
        })
        .collect();
    rows.push(vec![back_to_menu(locales, lang)]);
    InlineKeyboardMarkup::new(rows)
}

/// After the NGO offer or documents: the other one, the centres, the menu.
pub fn ngo(
    locales: &Locales,
    lang: Lang,
    directory: &Directory,
    showing_documents: bool,
) -> InlineKeyboardMarkup {
    let other = if showing_documents {
        button(locales.plain(lang, "nav-ngo"), CallbackAction::NgoOffer)
    } else {
        button(
            locales.plain(lang, "nav-documents"),
            CallbackAction::Documents,
        )
    };
    let mut rows = vec![vec![other]];
    for centre in directory.centres.iter().filter(|c| !c.offer_ngo.is_empty()) {
        let back = locales.text(
            lang,
            "nav-back-to",
            &[("name", centre.short.get(lang).into())],
        );
        rows.push(vec![button(
            back,
            CallbackAction::Centre(centre.key.clone(), None),
        )]);
    }
    rows.push(vec![back_to_menu(locales, lang)]);
    InlineKeyboardMarkup::new(rows)
}

/// The list of services: the centres, the NGO offer, the menu.
pub fn services(locales: &Locales, lang: Lang, directory: &Directory) -> InlineKeyboardMarkup {
    let mut rows = centre_rows(lang, directory);
    if directory.centres.iter().any(|c| !c.offer_ngo.is_empty()) {
        rows.push(vec![button(
            locales.plain(lang, "nav-ngo"),
            CallbackAction::NgoOffer,
        )]);
    }
    rows.push(vec![back_to_menu(locales, lang)]);
    InlineKeyboardMarkup::new(rows)
}
