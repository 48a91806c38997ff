//! `okienko chat`: the terminal is the user's phone. Each line typed (or piped) is a message to the
//! bot; the bot's replies are printed with their buttons numbered, and typing a number presses one.
//!
//! Lines the terminal keeps for itself: `/contact <phone>` shares a phone number as Telegram's
//! "share contact" button does, and `/quit` ends the conversation. Everything else, `/lang en`
//! included, goes to the bot.

use std::{
    io::{IsTerminal, Write},
    time::Duration,
};

use tokio::io::{AsyncBufReadExt, BufReader};

use crate::emulator::{Button, ChatMessage, Emulator, Event, EventKind, UserProfile};

/// The token the bot and the built-in emulator agree on; it never leaves this process.
pub const TOKEN: &str = "1000000001:okienko-chat-mode-local-token";

/// How long to wait for the bot's first reply, and for the next once it has started answering.
const FIRST_REPLY: Duration = Duration::from_secs(15);
const NEXT_REPLY: Duration = Duration::from_millis(500);

#[derive(Clone, Debug)]
pub struct Options {
    /// The language of the emulated Telegram app (Telegram's `language_code`).
    pub language_code: Option<String>,
    pub user_id: i64,
    pub first_name: String,
}

/// The buttons currently on screen, in the order they are numbered.
#[derive(Default)]
struct Screen {
    inline: Vec<(i64, Button)>,
    reply: Vec<Button>,
}

impl Screen {
    fn update(&mut self, message: &ChatMessage) {
        if !message.inline_keyboard.is_empty() {
            self.inline = message
                .inline_keyboard
                .iter()
                .flatten()
                .map(|b| (message.message_id, b.clone()))
                .collect();
        }
        if let Some(reply) = &message.reply_keyboard {
            self.reply = reply.iter().flatten().cloned().collect();
        }
    }

    fn count(&self) -> usize {
        self.inline.len() + self.reply.len()
    }
}

fn print_message(out: &mut impl Write, label: &str, message: &ChatMessage, first: usize) -> usize {
    let text: Vec<&str> = message.text.lines().collect();
    let indented = text.join("\n    ").replace("\n    \n", "\n\n");
    let _ = writeln!(out, "\n{label} ▸ {indented}");
    if let Some((name, size)) = &message.document {
        let _ = writeln!(out, "    📎 {name} ({size} B)");
    }
    let mut number = first;
    for button in message.inline_keyboard.iter().flatten() {
        match &button.url {
            Some(url) => {
                let _ = writeln!(out, "   [{number}] {} → {url}", button.text);
            }
            None => {
                let _ = writeln!(out, "   [{number}] {}", button.text);
            }
        }
        number += 1;
    }
    if let Some(reply) = &message.reply_keyboard {
        for button in reply.iter().flatten() {
            let _ = writeln!(out, "   [{number}] {} ⌨", button.text);
            number += 1;
        }
    }
    number
}

fn print_event(out: &mut impl Write, event: &Event, screen: &mut Screen) {
    match &event.kind {
        EventKind::Sent { message } | EventKind::Edited { message } => {
            let label = if matches!(event.kind, EventKind::Edited { .. }) {
                "Okienko (edited)"
            } else {
                "Okienko"
            };
            screen.update(message);
            // Number this message's buttons as they are now on screen.
            let first = if message.inline_keyboard.is_empty() {
                screen.inline.len() + 1
            } else {
                1
            };
            print_message(out, label, message, first);
        }
        EventKind::Deleted { .. } => {
            let _ = writeln!(out, "    (a message was removed)");
        }
        EventKind::CallbackAnswered {
            text: Some(text), ..
        } => {
            let _ = writeln!(out, "    ⓘ {text}");
        }
        EventKind::CallbackAnswered { text: None, .. } => {}
    }
}

/// Waits for the bot to answer what was just sent and prints it; returns the last event seen.
async fn print_replies(
    emulator: &Emulator,
    chat_id: i64,
    mut seen: u64,
    screen: &mut Screen,
) -> u64 {
    let mut wait = FIRST_REPLY;
    let mut out = std::io::stdout();
    loop {
        let events = emulator.events_after(seen, wait).await;
        if events.is_empty() {
            if wait == FIRST_REPLY {
                let _ = writeln!(out, "    (no reply)");
            }
            let _ = out.flush();
            return seen;
        }
        for event in events {
            seen = event.seq;
            if event.chat_id == chat_id {
                print_event(&mut out, &event, screen);
            }
        }
        wait = NEXT_REPLY;
    }
}

/// Talks to the bot until standard input ends or `/quit` is typed.
pub async fn converse(emulator: &Emulator, options: Options) -> anyhow::Result<()> {
    let user = UserProfile::new(
        options.user_id,
        &options.first_name,
        options.language_code.as_deref(),
    );
    let interactive = std::io::stdin().is_terminal();
    let mut lines = BufReader::new(tokio::io::stdin()).lines();
    let mut screen = Screen::default();
    let mut seen = emulator.last_event_seq().await;
    // Written with writeln! rather than println!: a closed output (`| head`) ends the
    // conversation instead of panicking.
    let mut out = std::io::stdout();
    if interactive {
        let _ = writeln!(
            out,
            "Okienko in the terminal. Type a message, or a button's number. /quit ends."
        );
        let _ = writeln!(
            out,
            "Okienko w terminalu. Napisz wiadomość albo numer przycisku. /quit kończy."
        );
    }
    loop {
        if interactive {
            let _ = write!(out, "\n> ");
        }
        if out.flush().is_err() {
            break;
        }
        let Some(line) = lines.next_line().await? else {
            break;
        };
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        if !interactive && writeln!(out, "\n> {line}").is_err() {
            break;
        }
        if line == "/quit" {
            break;
        }
        let pressed = line
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=screen.count()).contains(n));
        if let Some(number) = pressed {
            if let Some((message_id, button)) = screen.inline.get(number - 1).cloned() {
                match (&button.callback_data, &button.url) {
                    (Some(data), _) => {
                        if emulator.press(&user, message_id, data).await.is_err() {
                            let _ = writeln!(out, "    (that message is gone)");
                            continue;
                        }
                    }
                    (None, Some(url)) => {
                        let _ = writeln!(out, "    (opens {url})");
                        continue;
                    }
                    (None, None) => continue,
                }
            } else if let Some(button) = screen.reply.get(number - 1 - screen.inline.len()).cloned()
            {
                if button.request_contact {
                    let _ = writeln!(
                        out,
                        "    (type /contact followed by a phone number to share it)"
                    );
                    continue;
                }
                emulator.send_text(&user, &button.text).await;
            }
        } else if let Some(phone) = line.strip_prefix("/contact") {
            emulator.send_contact(&user, phone.trim()).await;
        } else {
            emulator.send_text(&user, line).await;
        }
        seen = print_replies(emulator, user.id, seen, &mut screen).await;
    }
    Ok(())
}
