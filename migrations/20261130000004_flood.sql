-- Groups, supergroups and channels the bot was written to in: the bot works in private chats only,
-- and says so once per chat, ever (no name or message is kept, only the chat's id and when).
create table group_chat (
    chat_id bigint primary key,
    told_at timestamptz not null
);
