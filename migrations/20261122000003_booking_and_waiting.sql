-- Bookings of slots with a bookable service (a place's key from the directory). A slot has as many
-- seats as the service's capacity; the partial unique index below is what makes a second booking
-- of a seat impossible, however many people press at once.
create table booking (
    id bigint generated always as identity primary key,
    service_key text not null,
    slot_start timestamptz not null,
    slot_end timestamptz not null,
    seat smallint not null constraint booking_seat_positive check (seat >= 1),
    telegram_id bigint not null,
    chat_id bigint not null,
    name text not null,
    phone text not null,
    language text not null constraint booking_language_known check (language in ('pl', 'en')),
    -- active: booked; held: offered to someone on the waiting list until held_until;
    -- cancelled: by the person (or moved away from); expired: an offer not taken in time.
    status text not null constraint booking_status_known check (status in ('active', 'held', 'cancelled', 'expired')),
    held_until timestamptz,
    waiting_id bigint,
    -- The calendar entry's UID; kept when a booking moves, so phones update the entry.
    calendar_uid text,
    created_at timestamptz not null,
    cancelled_at timestamptz,
    constraint booking_ends_after_start check (slot_end > slot_start),
    constraint booking_held_has_deadline check (status <> 'held' or held_until is not null)
);

create unique index booking_one_per_seat on booking (service_key, slot_start, seat)
    where status in ('active', 'held');
create index booking_person_idx on booking (telegram_id, slot_start) where status = 'active';
create index booking_held_until_idx on booking (held_until) where status = 'held';

-- People waiting for a slot of a fully booked service, first come first offered.
create table waiting (
    id bigint generated always as identity primary key,
    service_key text not null,
    telegram_id bigint not null,
    chat_id bigint not null,
    name text not null,
    phone text not null,
    language text not null constraint waiting_language_known check (language in ('pl', 'en')),
    status text not null constraint waiting_status_known check (status in ('waiting', 'offered', 'booked', 'left')),
    created_at timestamptz not null
);

create unique index waiting_once_per_service on waiting (service_key, telegram_id)
    where status in ('waiting', 'offered');
create index waiting_queue_idx on waiting (service_key, created_at) where status = 'waiting';
