-- No two visits of a service's seat may overlap in time, whatever the directory file later says
-- (a longer slot, an extra opening): the old unique index only compared exact slot starts, so an
-- old 13:30 visit and a new 13:00-14:00 slot could both be booked. `btree_gist` is a trusted
-- extension: the database's owner may create it. Offers held for the waiting list count as taken.
create extension if not exists btree_gist;

-- Visits that overlap already (booked under two slot lengths) must be settled by the staff first:
-- the migration stops and says how many, rather than cancel anyone's visit on its own.
do $$
declare
    overlapping bigint;
begin
    select count(*) into overlapping
    from booking a
    join booking b
      on a.service_key = b.service_key and a.seat = b.seat and a.id < b.id
     and tstzrange(a.slot_start, a.slot_end) && tstzrange(b.slot_start, b.slot_end)
    where a.status in ('active', 'held') and b.status in ('active', 'held');
    if overlapping > 0 then
        raise exception '% pair(s) of visits overlap on one seat; cancel or move one of each pair before upgrading', overlapping
            using hint = 'select a.id, b.id from booking a join booking b on a.service_key = b.service_key and a.seat = b.seat and a.id < b.id and tstzrange(a.slot_start, a.slot_end) && tstzrange(b.slot_start, b.slot_end) where a.status in (''active'', ''held'') and b.status in (''active'', ''held'')';
    end if;
end
$$;

alter table booking
    add constraint booking_no_overlap
        exclude using gist (service_key with =, seat with =, tstzrange(slot_start, slot_end) with &&)
        where (status in ('active', 'held'));
