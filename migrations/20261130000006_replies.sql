-- A reply Telegram held back longer than a handler waits (429 with a long retry_after) is sent by
-- the outbox when Telegram lets it through: its text in `text`, its inline keyboard (Bot API
-- JSON) in `keyboard`. Both are erased with the person's data (/forget) and by age (retention).
alter table outbox_job add column keyboard jsonb;

alter table outbox_job
    drop constraint outbox_job_kind_known,
    add constraint outbox_job_kind_known
        check (kind in ('reminder', 'offer', 'offer_expired', 'staff', 'closure', 'announcement', 'moved', 'reply'));
