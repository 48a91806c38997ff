-- Personal data as the law expects: consent recorded once, discreet reminders as a choice, and
-- rows whose name and phone were erased (by the person, or by age) marked as such.
alter table telegram_user
    -- when the person agreed that their name and phone be stored for a booking (null: not asked,
    -- or erased with /forget).
    add column consent_at timestamptz,
    -- reminders that name only the centre and the time, not the service.
    add column discreet_reminders boolean not null default false;

-- When the name and phone were erased; the service and time are kept for statistics.
alter table booking add column anonymised_at timestamptz;
alter table waiting add column anonymised_at timestamptz;

-- A booking row can be deleted: its jobs go with it (before: no ON DELETE, so deleting failed).
alter table outbox_job drop constraint outbox_job_booking_id_fkey,
    add constraint outbox_job_booking_id_fkey foreign key (booking_id)
        references booking (id) on delete cascade;

-- The retention job looks at rows by age.
create index booking_retention_idx on booking (slot_end) where anonymised_at is null;
create index outbox_job_retention_idx on outbox_job (done_at) where text is not null and status <> 'pending';
