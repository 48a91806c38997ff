-- The seats taken from a time on (db::booking::taken, behind every day and time list): an index
-- on the end of active and held seats, so the query reads the visits still to come instead of
-- scanning every visit ever booked (the load bench's EXPLAIN at 100,000 visits: a sequential scan,
-- 43.7 ms on each list).
create index booking_taken_idx on booking (service_key, slot_end) where status in ('active', 'held');
