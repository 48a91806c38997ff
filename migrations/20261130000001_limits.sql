-- No two visits of a service's seat may overlap in time, whatever the directory file later says
-- (a longer slot, an extra opening): the old unique index only compared exact slot starts, so an
-- old 13:30 visit and a new 13:00-14:00 slot could both be booked. `btree_gist` is a trusted
-- extension: the database's owner may create it. Offers held for the waiting list count as taken.
create extension if not exists btree_gist;

alter table booking
    add constraint booking_no_overlap
        exclude using gist (service_key with =, seat with =, tstzrange(slot_start, slot_end) with &&)
        where (status in ('active', 'held'));
