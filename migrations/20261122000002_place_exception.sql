-- One-off changes to a place's (or a whole centre's) hours on one day: a closure, or an extra
-- opening with its own hours. `place_key` is a key from the directory file.
create table place_exception (
    id bigint generated always as identity primary key,
    place_key text not null,
    day date not null,
    -- null: closed all day; otherwise the hours that day, e.g. '09:00-12:00'.
    hours text,
    note text,
    created_at timestamptz not null default now(),
    constraint place_exception_one_per_place_and_day unique (place_key, day)
);

create index place_exception_day_idx on place_exception (day);
