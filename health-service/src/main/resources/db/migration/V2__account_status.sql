-- The 30-minute rule: an account whose connections have failed for the whole window becomes
-- disconnected, once per failure streak, and stays so until its owner asks to reconnect.
alter table account_health drop constraint account_health_state_check;
alter table account_health add constraint account_health_state_check
    check (state in ('connected', 'degraded', 'disconnected', 'reconnecting'));
-- When the current streak was declared disconnected; null while it was not. Kept so that a
-- restart never declares the same streak twice.
alter table account_health add column disconnected_at timestamptz;

-- Outbox: a status change and the event announcing it are written in one transaction; a relay
-- puts the events on Kafka and deletes them, so a crash can repeat an event (same ce_id) but
-- never lose one.
create table status_outbox (
    seq         bigserial   primary key,
    account_id  uuid        not null,
    event_id    text        not null,
    payload     bytea       not null,
    created_at  timestamptz not null default now()
);
