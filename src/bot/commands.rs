//! The slash commands. Nobody has to type them (every one has a button), but Telegram shows them in
//! its menu, registered per language with descriptions from the locales.

use teloxide::{types::BotCommand, utils::command::BotCommands};

use crate::i18n::{Lang, Locales};

#[derive(BotCommands, Clone, Debug, PartialEq, Eq)]
#[command(rename_rule = "lowercase")]
pub enum Command {
    /// Greeting and the main menu.
    Start,
    Help,
    Menu,
    /// `/language` asks; `/language en` switches at once.
    Language(String),
    /// A short alias of `/language`.
    Lang(String),
    /// What is stored about the person, why and for how long.
    Privacy,
    /// Everything stored about the person, as a file.
    Mydata,
    /// Erase the person's data (after a confirm).
    Forget,
}

/// The command list shown in Telegram's menu, in one language.
pub fn menu(locales: &Locales, lang: Lang) -> Vec<BotCommand> {
    [
        ("start", "command-start"),
        ("help", "command-help"),
        ("menu", "command-menu"),
        ("language", "command-language"),
        ("privacy", "command-privacy"),
        ("mydata", "command-mydata"),
        ("forget", "command-forget"),
    ]
    .into_iter()
    .map(|(command, id)| BotCommand::new(command, locales.plain(lang, id)))
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_parse_with_and_without_arguments() {
        let parse = |text| Command::parse(text, "okienko_bot").ok();
        assert_eq!(parse("/start"), Some(Command::Start));
        assert_eq!(parse("/start@okienko_bot"), Some(Command::Start));
        assert_eq!(parse("/language"), Some(Command::Language(String::new())));
        assert_eq!(parse("/lang en"), Some(Command::Lang("en".into())));
        assert_eq!(parse("/nope"), None);
        assert_eq!(parse("/mydata"), Some(Command::Mydata));
        assert_eq!(parse("/forget"), Some(Command::Forget));
        assert_eq!(parse("/privacy"), Some(Command::Privacy));
    }
}
