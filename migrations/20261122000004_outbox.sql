-- Everything the bot sends on its own (reminders, waiting-list offers, staff notices) is a job
-- here, written in the same transaction as the change that causes it.
create table outbox_job (
    id bigint generated always as identity primary key,
    -- reminder / offer / offer_expired: built at send time from the booking; staff: a ready text.
    kind text not null constraint outbox_job_kind_known check (kind in ('reminder', 'offer', 'offer_expired', 'staff')),
    booking_id bigint references booking (id),
    chat_id bigint not null,
    text text,
    due_at timestamptz not null,
    -- pending → sent | failed | dropped (no longer useful) | withdrawn (its booking changed).
    status text not null default 'pending' constraint outbox_job_status_known
        check (status in ('pending', 'sent', 'failed', 'dropped', 'withdrawn')),
    attempts integer not null default 0,
    -- A worker's claim: until when, and under which attempt number (a late write with another
    -- number is refused).
    lease_until timestamptz,
    leased_attempt integer,
    outcome text,
    created_at timestamptz not null,
    done_at timestamptz
);

-- The worker reads only pending jobs by due time: its cost follows the due jobs, not the table.
create index outbox_job_due_idx on outbox_job (due_at) where status = 'pending';
create index outbox_job_booking_idx on outbox_job (booking_id) where status = 'pending';

-- A person who blocked the bot gets no further attempts.
alter table telegram_user add column unreachable_since timestamptz;

-- "I'll be there", pressed under a reminder; staff see it.
alter table booking add column attending_at timestamptz;
