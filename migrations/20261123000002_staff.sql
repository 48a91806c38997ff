-- Staff: whether a person came to their visit, and every staff action.
alter table booking
    add column attended boolean,
    add column attendance_marked_at timestamptz;

create table staff_audit (
    id bigint generated always as identity primary key,
    staff_id bigint not null,
    at timestamptz not null,
    -- what was done: 'agenda', 'came', 'no-show', ...
    action text not null,
    booking_id bigint references booking (id) on delete set null,
    detail text not null default ''
);

create index staff_audit_at_idx on staff_audit (at desc);
