-- What health-service knows of each account's connections, kept in its own database so that
-- its state survives its restarts.
create table account_health (
    account_id      uuid        primary key,
    state           text        not null check (state in ('connected', 'degraded', 'disconnected')),
    -- Start of the current failure streak; null while connected.
    failing_since   timestamptz,
    last_event_at   timestamptz not null,
    last_category   text,
    last_detail     text,
    capabilities    text[]      not null default '{}'
);
