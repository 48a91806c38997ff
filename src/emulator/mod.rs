//! A Bot API emulator: a small HTTP server that speaks the part of the Telegram Bot API the bot
//! uses, with Telegram's JSON shapes and error replies. `okienko chat` and the tests run the real
//! bot against it; they play the user through the control endpoints under `/_emulator/`.
//!
//! The emulator keeps everything in memory: the queue of updates the bot has not confirmed, every
//! chat with the messages in it (as edited), and a numbered log of what the bot did ([`Event`]).

mod client;
mod faults;
mod model;
mod server;
mod state;
mod wire;

pub use client::{EmulatorClient, Pressed, Sent};
pub use faults::Fault;
pub use model::{Button, ContactOwner, GroupChat, UserProfile};
pub use server::{Emulator, EmulatorHandle};
pub use state::{ChatMessage, Event, EventKind};
