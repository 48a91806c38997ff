-- A visit cancelled by a closure: the person is told why, with a way to book again.
alter table outbox_job drop constraint outbox_job_kind_known,
    add constraint outbox_job_kind_known
        check (kind in ('reminder', 'offer', 'offer_expired', 'staff', 'closure'));

-- A visit cancelled by staff (a closure) names who did it; one the person cancelled has none.
alter table booking add column cancelled_by_staff bigint;
