# Okienko: flood control and group chats (English).

# Someone sent more messages than the bot takes in a minute. Said once a minute.
flood-slow-down = Just a moment: you are sending me a lot of messages at once. I will not answer for a minute. Then please write again.
# In a group, supergroup or channel, once per chat. $bot: the bot's name, such as @okienko_bot.
flood-private-only = I only talk in a private chat, so that your details are not shown to the whole group. Write to me directly: { $bot }
