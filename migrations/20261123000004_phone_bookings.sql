-- Visits the staff booked for someone who phoned: no Telegram chat, no reminders. Their
-- `telegram_id` is the negated phone number's digits (one person per number for the per-person
-- limit and its lock; Telegram user ids are positive), and `chat_id` is 0.
alter table booking
    add column source text not null default 'telegram'
        constraint booking_source_known check (source in ('telegram', 'phone')),
    add column booked_by_staff bigint;
