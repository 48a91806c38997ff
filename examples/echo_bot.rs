//! A bare teloxide 0.17 echo bot: the framework's own cost per update, to compare the bot with in
//! the load bench (`cargo bench --bench load`, which builds and runs this example against the same
//! emulator). It answers every text message with the same text, by long polling, as teloxide's
//! own example does; `TELOXIDE_TOKEN` and `TELOXIDE_API_URL` say where.

use teloxide::prelude::*;

#[tokio::main]
async fn main() {
    let bot = Bot::from_env();
    teloxide::repl(bot, |bot: Bot, message: Message| async move {
        if let Some(text) = message.text() {
            bot.send_message(message.chat.id, text).await?;
        }
        Ok(())
    })
    .await;
}
