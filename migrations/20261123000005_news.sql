-- News: residents subscribe to a centre's or a place's announcements (from its card) and leave
-- with one tap; staff post an announcement, which goes out through the outbox at a set pace.
create table subscription (
    topic text not null,
    telegram_id bigint not null,
    chat_id bigint not null,
    -- the language the person read the card in: the announcement's frame is said in it.
    language text not null,
    created_at timestamptz not null,
    primary key (topic, telegram_id)
);

create index subscription_person_idx on subscription (telegram_id);

create table announcement (
    id bigint generated always as identity primary key,
    topic text not null,
    text text not null,
    staff_id bigint not null,
    -- where the count of delivered, blocked and failed is sent when the last one is done.
    staff_chat bigint not null,
    staff_language text not null,
    recipients integer not null,
    created_at timestamptz not null,
    reported_at timestamptz
);

alter table outbox_job
    add column announcement_id bigint references announcement (id) on delete cascade,
    drop constraint outbox_job_kind_known,
    add constraint outbox_job_kind_known
        check (kind in ('reminder', 'offer', 'offer_expired', 'staff', 'closure', 'announcement', 'moved'));

create index outbox_job_announcement_idx on outbox_job (announcement_id)
    where announcement_id is not null;

-- The morning digest of the day's agenda to the staff chats: one row per day sent, so that of
-- several workers (or a restart) only one sends it.
create table staff_digest (
    day date primary key,
    sent_at timestamptz not null
);
