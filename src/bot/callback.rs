//! Button presses: the callback data the bot puts on its buttons, parsed back into a
//! [`CallbackAction`]. The data comes from the user's client and is untrusted: anything that does
//! not parse is `None`, and the user is told the button is stale.

use chrono::NaiveDate;

use crate::{i18n::Lang, understanding::Aspect};

fn date_code(date: &NaiveDate) -> String {
    date.format("%Y%m%d").to_string()
}

fn parse_date(text: &str) -> Option<NaiveDate> {
    (text.len() == 8)
        .then(|| NaiveDate::parse_from_str(text, "%Y%m%d").ok())
        .flatten()
}

/// An id or a unix time: digits only, positive, as sent by this bot.
fn number(text: &str) -> Option<i64> {
    (!text.is_empty() && text.len() <= 18 && text.bytes().all(|b| b.is_ascii_digit()))
        .then(|| text.parse().ok())
        .flatten()
}

/// A page of a list: a small number.
fn page(text: &str) -> Option<u32> {
    (!text.is_empty() && text.len() <= 3 && text.bytes().all(|b| b.is_ascii_digit()))
        .then(|| text.parse().ok())
        .flatten()
}

fn pair<A, B>(
    value: &str,
    a: impl Fn(&str) -> Option<A>,
    b: impl Fn(&str) -> Option<B>,
) -> Option<(A, B)> {
    let (left, right) = value.split_once(':')?;
    Some((a(left)?, b(right)?))
}

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
    /// Booking: choose the service (None) or a day of it.
    Book(Option<String>),
    BookDay(String, NaiveDate),
    BookTime(String, i64),
    BookConfirm,
    /// Leave the booking flow; nothing is saved.
    BookAbort,
    /// From the summary back to the phone step (the name and number kept).
    BookBack,
    /// The person's booking `id`: move it, pick a day or time for it, confirm the move.
    VisitMove(i64),
    MoveDay(i64, NaiveDate),
    MoveTime(i64, i64),
    MoveConfirm(i64, i64),
    /// The person's booking `id`: ask to cancel, then cancel.
    VisitCancel(i64),
    VisitCancelYes(i64),
    WaitJoin(String),
    /// Leave the waiting list (the entry's id).
    WaitLeave(i64),
    OfferTake(i64),
    OfferDecline(i64),
    /// "I'll be there", under a reminder.
    Attend(i64),
    /// Staff: the agenda of a day, at a page.
    StaffAgenda(NaiveDate, u32),
    /// Staff: a visit marked as come (true) or not come (false), on the agenda's page.
    StaffMark(i64, bool, u32),
    /// Staff: the latest staff actions.
    StaffAudit,
    /// Staff: this month's visits as a CSV file, and its figures.
    StaffExport,
    /// Staff: do the closure shown (its details are in the dialogue state).
    StaffCloseConfirm,
    /// Subscribe to a centre's or a place's news (its key), or leave them.
    NewsJoin(String),
    NewsLeave(String),
    /// Staff: send the announcement shown (its topic and text are in the dialogue state).
    StaffNewsConfirm,
    /// Staff: cancel a visit (the reason is typed next), from the agenda's page.
    StaffCancel(i64, u32),
    /// Staff: move a visit (the new day and time are typed next).
    StaffMove(i64),
    /// Staff: the staff menu (what was being written is dropped).
    StaffHome,
    /// Staff: cancel the visit with the reason typed (both are in the dialogue state).
    StaffCancelYes,
    /// What is stored about the person, and why (`/privacy`).
    Privacy,
    /// Consent to store a name and phone (the step waiting is in the dialogue state), or not.
    ConsentYes,
    ConsentNo,
    /// Everything stored about the person, as a file.
    MyData,
    /// Erase my data: ask, then do.
    Forget,
    ForgetYes,
    /// Reminders that name only the centre and the time (true), or the service too.
    Discreet(bool),
}

impl CallbackAction {
    /// Whether the action reads or changes bookings, visits, the waiting list or the person's
    /// settings (and so cannot be done without the database); the directory's buttons can.
    pub fn needs_records(&self) -> bool {
        match self {
            CallbackAction::Home
            | CallbackAction::Centre(..)
            | CallbackAction::Place(..)
            | CallbackAction::NgoOffer
            | CallbackAction::Documents => false,
            CallbackAction::Menu(item) => {
                matches!(item, MenuItem::Book | MenuItem::Visits | MenuItem::Language)
            }
            CallbackAction::SetLanguage(_)
            | CallbackAction::Book(_)
            | CallbackAction::BookDay(..)
            | CallbackAction::BookTime(..)
            | CallbackAction::BookConfirm
            | CallbackAction::BookAbort
            | CallbackAction::BookBack
            | CallbackAction::VisitMove(_)
            | CallbackAction::MoveDay(..)
            | CallbackAction::MoveTime(..)
            | CallbackAction::MoveConfirm(..)
            | CallbackAction::VisitCancel(_)
            | CallbackAction::VisitCancelYes(_)
            | CallbackAction::WaitJoin(_)
            | CallbackAction::WaitLeave(_)
            | CallbackAction::OfferTake(_)
            | CallbackAction::OfferDecline(_)
            | CallbackAction::Attend(_)
            | CallbackAction::StaffAgenda(..)
            | CallbackAction::StaffMark(..)
            | CallbackAction::StaffAudit
            | CallbackAction::StaffExport
            | CallbackAction::StaffCloseConfirm
            | CallbackAction::NewsJoin(_)
            | CallbackAction::NewsLeave(_)
            | CallbackAction::StaffNewsConfirm
            | CallbackAction::StaffCancel(..)
            | CallbackAction::StaffMove(_)
            | CallbackAction::StaffHome
            | CallbackAction::StaffCancelYes
            | CallbackAction::Privacy
            | CallbackAction::ConsentYes
            | CallbackAction::ConsentNo
            | CallbackAction::MyData
            | CallbackAction::Forget
            | CallbackAction::ForgetYes
            | CallbackAction::Discreet(_) => true,
        }
    }
}

impl CallbackAction {
    /// Whether the press ends the step its message asked for (confirming, cancelling, taking or
    /// declining an offer): that message's buttons are then taken off.
    pub fn ends_its_step(&self) -> bool {
        matches!(
            self,
            CallbackAction::BookConfirm
                | CallbackAction::BookAbort
                | CallbackAction::BookBack
                | CallbackAction::StaffCloseConfirm
                | CallbackAction::StaffNewsConfirm
                | CallbackAction::StaffHome
                | CallbackAction::StaffCancelYes
                | CallbackAction::MoveConfirm(..)
                | CallbackAction::VisitCancelYes(_)
                | CallbackAction::WaitLeave(_)
                | CallbackAction::OfferTake(_)
                | CallbackAction::OfferDecline(_)
                | CallbackAction::ConsentYes
                | CallbackAction::ConsentNo
                | CallbackAction::ForgetYes
        )
    }
}

fn aspect_code(aspect: Aspect) -> &'static str {
    match aspect {
        Aspect::Hours | Aspect::OpenNow => "h",
        Aspect::Address => "a",
        Aspect::Contact => "k",
        Aspect::Overview => "o",
        Aspect::Bring => "d",
        Aspect::Cost => "c",
    }
}

fn parse_aspect(code: &str) -> Option<Aspect> {
    match code {
        "h" => Some(Aspect::Hours),
        "a" => Some(Aspect::Address),
        "k" => Some(Aspect::Contact),
        "d" => Some(Aspect::Bring),
        "c" => Some(Aspect::Cost),
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
            CallbackAction::Book(None) => "b".to_owned(),
            CallbackAction::Book(Some(key)) => format!("b:{key}"),
            CallbackAction::BookDay(key, date) => format!("bd:{key}:{}", date_code(date)),
            CallbackAction::BookTime(key, start) => format!("bt:{key}:{start}"),
            CallbackAction::BookConfirm => "bc".to_owned(),
            CallbackAction::BookAbort => "bx".to_owned(),
            CallbackAction::BookBack => "bb".to_owned(),
            CallbackAction::VisitMove(id) => format!("vm:{id}"),
            CallbackAction::MoveDay(id, date) => format!("md:{id}:{}", date_code(date)),
            CallbackAction::MoveTime(id, start) => format!("mt:{id}:{start}"),
            CallbackAction::MoveConfirm(id, start) => format!("mc:{id}:{start}"),
            CallbackAction::VisitCancel(id) => format!("vc:{id}"),
            CallbackAction::VisitCancelYes(id) => format!("vy:{id}"),
            CallbackAction::WaitJoin(key) => format!("wj:{key}"),
            CallbackAction::WaitLeave(id) => format!("wl:{id}"),
            CallbackAction::OfferTake(id) => format!("ot:{id}"),
            CallbackAction::OfferDecline(id) => format!("od:{id}"),
            CallbackAction::Attend(id) => format!("at:{id}"),
            CallbackAction::StaffAgenda(date, page) => format!("sa:{}:{page}", date_code(date)),
            CallbackAction::StaffMark(id, came, page) => {
                format!("sm:{id}:{}:{page}", u8::from(*came))
            }
            CallbackAction::StaffAudit => "su".to_owned(),
            CallbackAction::StaffExport => "se".to_owned(),
            CallbackAction::StaffCloseConfirm => "scy".to_owned(),
            CallbackAction::NewsJoin(key) => format!("nj:{key}"),
            CallbackAction::NewsLeave(key) => format!("nl:{key}"),
            CallbackAction::StaffNewsConfirm => "sny".to_owned(),
            CallbackAction::StaffCancel(id, page) => format!("sc:{id}:{page}"),
            CallbackAction::StaffMove(id) => format!("sv:{id}"),
            CallbackAction::StaffHome => "sh".to_owned(),
            CallbackAction::StaffCancelYes => "scx".to_owned(),
            CallbackAction::Privacy => "pv".to_owned(),
            CallbackAction::ConsentYes => "cy".to_owned(),
            CallbackAction::ConsentNo => "cn".to_owned(),
            CallbackAction::MyData => "pd".to_owned(),
            CallbackAction::Forget => "pf".to_owned(),
            CallbackAction::ForgetYes => "pfy".to_owned(),
            CallbackAction::Discreet(on) => format!("pr:{}", u8::from(*on)),
        }
    }

    pub fn parse(data: &str) -> Option<Self> {
        match data {
            "home" => return Some(CallbackAction::Home),
            "ngo" => return Some(CallbackAction::NgoOffer),
            "docs" => return Some(CallbackAction::Documents),
            "b" => return Some(CallbackAction::Book(None)),
            "bc" => return Some(CallbackAction::BookConfirm),
            "bx" => return Some(CallbackAction::BookAbort),
            "su" => return Some(CallbackAction::StaffAudit),
            "se" => return Some(CallbackAction::StaffExport),
            "scy" => return Some(CallbackAction::StaffCloseConfirm),
            "sny" => return Some(CallbackAction::StaffNewsConfirm),
            "sh" => return Some(CallbackAction::StaffHome),
            "scx" => return Some(CallbackAction::StaffCancelYes),
            "bb" => return Some(CallbackAction::BookBack),
            "pv" => return Some(CallbackAction::Privacy),
            "cy" => return Some(CallbackAction::ConsentYes),
            "cn" => return Some(CallbackAction::ConsentNo),
            "pd" => return Some(CallbackAction::MyData),
            "pf" => return Some(CallbackAction::Forget),
            "pfy" => return Some(CallbackAction::ForgetYes),
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
            "b" => key(value).map(|k| CallbackAction::Book(Some(k))),
            "bd" => pair(value, key, parse_date).map(|(k, d)| CallbackAction::BookDay(k, d)),
            "bt" => pair(value, key, number).map(|(k, t)| CallbackAction::BookTime(k, t)),
            "vm" => number(value).map(CallbackAction::VisitMove),
            "md" => pair(value, number, parse_date).map(|(id, d)| CallbackAction::MoveDay(id, d)),
            "mt" => pair(value, number, number).map(|(id, t)| CallbackAction::MoveTime(id, t)),
            "mc" => pair(value, number, number).map(|(id, t)| CallbackAction::MoveConfirm(id, t)),
            "vc" => number(value).map(CallbackAction::VisitCancel),
            "vy" => number(value).map(CallbackAction::VisitCancelYes),
            "wj" => key(value).map(CallbackAction::WaitJoin),
            "wl" => number(value).map(CallbackAction::WaitLeave),
            "ot" => number(value).map(CallbackAction::OfferTake),
            "od" => number(value).map(CallbackAction::OfferDecline),
            "at" => number(value).map(CallbackAction::Attend),
            "sa" => pair(value, parse_date, page).map(|(d, p)| CallbackAction::StaffAgenda(d, p)),
            "nj" => key(value).map(CallbackAction::NewsJoin),
            "nl" => key(value).map(CallbackAction::NewsLeave),
            "sc" => pair(value, number, page).map(|(id, p)| CallbackAction::StaffCancel(id, p)),
            "sv" => number(value).map(CallbackAction::StaffMove),
            "pr" => match value {
                "1" => Some(CallbackAction::Discreet(true)),
                "0" => Some(CallbackAction::Discreet(false)),
                _ => None,
            },
            "sm" => {
                let (id, rest) = value.split_once(':')?;
                let (came, at) = rest.split_once(':')?;
                let came = match came {
                    "1" => true,
                    "0" => false,
                    _ => return None,
                };
                Some(CallbackAction::StaffMark(number(id)?, came, page(at)?))
            }
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
        let date = NaiveDate::from_ymd_opt(2026, 11, 23).expect("date");
        let big = 999_999_999_999_999_999;
        actions.extend([
            CallbackAction::Book(None),
            CallbackAction::Book(Some(longest.clone())),
            CallbackAction::BookDay(longest.clone(), date),
            CallbackAction::BookTime(longest.clone(), 1_795_420_800),
            CallbackAction::BookConfirm,
            CallbackAction::BookAbort,
            CallbackAction::BookBack,
            CallbackAction::VisitMove(big),
            CallbackAction::MoveDay(big, date),
            CallbackAction::MoveTime(big, big),
            CallbackAction::MoveConfirm(big, big),
            CallbackAction::VisitCancel(1),
            CallbackAction::VisitCancelYes(1),
            CallbackAction::WaitJoin(longest.clone()),
            CallbackAction::WaitLeave(big),
            CallbackAction::OfferTake(7),
            CallbackAction::OfferDecline(7),
            CallbackAction::Attend(7),
            CallbackAction::StaffAgenda(date, 999),
            CallbackAction::StaffMark(big, true, 999),
            CallbackAction::StaffMark(1, false, 0),
            CallbackAction::StaffAudit,
            CallbackAction::StaffExport,
            CallbackAction::StaffCloseConfirm,
            CallbackAction::NewsJoin(longest.clone()),
            CallbackAction::NewsLeave(longest.clone()),
            CallbackAction::StaffNewsConfirm,
            CallbackAction::StaffCancel(big, 999),
            CallbackAction::StaffMove(big),
            CallbackAction::StaffHome,
            CallbackAction::StaffCancelYes,
            CallbackAction::Privacy,
            CallbackAction::ConsentYes,
            CallbackAction::ConsentNo,
            CallbackAction::MyData,
            CallbackAction::Forget,
            CallbackAction::ForgetYes,
            CallbackAction::Discreet(true),
            CallbackAction::Discreet(false),
        ]);
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
            "pr:2",
            "pr:",
            "💥",
        ] {
            assert_eq!(CallbackAction::parse(data), None, "{data:?}");
        }
    }
}
