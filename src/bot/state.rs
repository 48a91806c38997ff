//! Where a chat is in a conversation. Stored as JSON in the `dialogue` table between updates.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use teloxide::dispatching::dialogue::Dialogue;

use crate::{
    booking::{Name, Phone},
    db::dialogue::{PgStorage, Recoverable},
};

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum State {
    /// Nothing in progress: buttons and questions are answered as they come.
    #[default]
    Idle,
    /// The bot asked which language to use; a typed "polski" or "en" is an answer.
    ChoosingLanguage,
    /// Booking `service` at `start` (unix seconds): waiting for the person's name.
    BookingName {
        service: String,
        start: i64,
    },
    /// … and then for a phone number.
    BookingPhone {
        service: String,
        start: i64,
        name: Name,
    },
    /// Everything given; waiting for "confirm" (a new time may still be picked).
    BookingConfirm {
        service: String,
        start: i64,
        name: Name,
        phone: Phone,
    },
    /// The days of `service` are on screen: a day may be typed ("środa", "30.11").
    ChoosingDay {
        service: String,
    },
    /// The times of `service` on `day` are on screen: a time may be typed ("14:00", "o 14").
    ChoosingTime {
        service: String,
        day: NaiveDate,
    },
    /// Moving the person's `visit`: its days, then its times, then "confirm the move?".
    MovingDay {
        visit: i64,
    },
    MovingTime {
        visit: i64,
        day: NaiveDate,
    },
    ConfirmingMove {
        visit: i64,
        start: i64,
    },
    /// "Cancel this visit?" asked: "tak" typed is yes.
    ConfirmingCancel {
        visit: i64,
    },
    /// A member of staff about to close `key` (a service or a centre) from `from` to `to`: the
    /// confirm button does it.
    StaffClosing {
        key: String,
        from: NaiveDate,
        to: NaiveDate,
        reason: String,
        /// Only these hours of the one day (`"14:00-15:00"`); the whole days when None.
        #[serde(default)]
        hours: Option<String>,
    },
    /// A member of staff about to send `text` to the subscribers of `topic`: the confirm button
    /// does it.
    StaffAnnouncing {
        topic: String,
        text: String,
    },
    /// A member of staff cancelling `visit` (from the agenda's `page`): the reason is typed next.
    StaffCancelling {
        visit: i64,
        page: u32,
        /// The reason typed, waiting for the confirm button.
        #[serde(default)]
        reason: Option<String>,
    },
    /// A member of staff moving `visit`: the new day and time are typed next.
    StaffMoving {
        visit: i64,
    },
    /// Joining the waiting list of `service`: the name, then the phone.
    WaitingName {
        service: String,
    },
    WaitingPhone {
        service: String,
        name: Name,
    },
    /// Consent asked before a name and phone are stored: for booking `service` at `start` (unix
    /// seconds), or for its waiting list (no `start`). A "tak" typed is yes.
    Consenting {
        service: String,
        start: Option<i64>,
    },
    /// Consent refused for what [`State::Consenting`] asked: nothing stored; a change of mind
    /// typed next ("jednak się zgadzam") takes the consent and goes on; anything else is a
    /// question as ever.
    ConsentDeclined {
        service: String,
        start: Option<i64>,
    },
    /// "Erase all my data?" asked: a "tak" typed is yes.
    ConfirmingForget,
    /// The stored state could not be read (after an upgrade); never stored itself.
    #[serde(skip)]
    Lost,
    /// The database did not answer when the state was read, so whether a conversation is in
    /// progress is not known this time; never stored itself. Questions are answered, and nothing
    /// typed is taken as a step of a conversation that may be waiting in the database.
    #[serde(skip)]
    Unknown,
}

impl State {
    /// Whether buttons of a step are on screen, whose choice may be typed instead.
    /// The bookable service this step is about, where there is one (not a move, which holds a
    /// visit).
    pub fn service(&self) -> Option<&str> {
        match self {
            State::BookingName { service, .. }
            | State::BookingPhone { service, .. }
            | State::BookingConfirm { service, .. }
            | State::ChoosingDay { service }
            | State::ChoosingTime { service, .. }
            | State::WaitingName { service }
            | State::WaitingPhone { service, .. }
            | State::Consenting { service, .. }
            | State::ConsentDeclined { service, .. } => Some(service),
            _ => None,
        }
    }

    pub fn has_buttons_waiting(&self) -> bool {
        matches!(
            self,
            State::BookingConfirm { .. }
                | State::ChoosingDay { .. }
                | State::ChoosingTime { .. }
                | State::MovingDay { .. }
                | State::MovingTime { .. }
                | State::ConfirmingMove { .. }
                | State::ConfirmingCancel { .. }
                | State::Consenting { .. }
                | State::ConfirmingForget
        )
    }
}

impl Recoverable for State {
    fn lost() -> Self {
        State::Lost
    }

    fn unknown() -> Self {
        State::Unknown
    }
}

pub type BotDialogue = Dialogue<State, PgStorage>;
