-- A number that changes whenever `place_exception` does (any statement, from any process), read
-- with every update in the same query as the person's language and dialogue: the closures and
-- extra openings kept in memory are read again only when it has changed.
create table place_exception_version (
    only_row boolean primary key default true constraint place_exception_version_one_row check (only_row),
    version bigint not null
);

insert into place_exception_version (only_row, version) values (true, 0);

create function place_exception_changed() returns trigger language plpgsql as $$
begin
    update place_exception_version set version = version + 1;
    return null;
end
$$;

create trigger place_exception_changed
    after insert or update or delete or truncate on place_exception
    for each statement execute function place_exception_changed();
