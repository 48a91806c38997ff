-- People who have written to the bot, and their chosen language.
create table telegram_user (
    telegram_id bigint primary key,
    -- null until the person picks a language; then their choice wins over Telegram's hint.
    language text constraint telegram_user_language_known check (language in ('pl', 'en')),
    first_seen timestamptz not null,
    last_seen timestamptz not null
);

-- Where each chat is in a conversation (teloxide's dialogue state), as JSON.
create table dialogue (
    chat_id bigint primary key,
    state jsonb not null,
    updated_at timestamptz not null
);

-- Abandoned dialogues are swept by age.
create index dialogue_updated_at_idx on dialogue (updated_at);
