-- Webhook mode: each update Telegram posts is claimed here before it is handled, so that one
-- delivered twice (Telegram retries after a timeout or a non-2xx answer) or to two replicas (a
-- load balancer) takes effect once. `taken_by` names the process that holds the claim, `taken_at`
-- when it took it (the database's clock, one for all replicas); `done_at` is set once the handlers
-- have finished it. A claim older than the answer bound and not done belongs to a replica that
-- died: the next delivery takes it over. Rows older than two days are swept.
create table webhook_update (
    update_id bigint primary key,
    taken_by text not null,
    taken_at timestamptz not null,
    done_at timestamptz
);

create index webhook_update_taken_at on webhook_update (taken_at);
