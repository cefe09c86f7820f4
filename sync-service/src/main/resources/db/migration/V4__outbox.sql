-- The outbox of messages to send (ADR 0006). A row is written once by the gateway's request and
-- its MIME never changes; the send request on mailroom.outbox.v1 is relayed from the row
-- (relayed_at), and the connector's outcome events move its state forward.
create table outbox_message (
    id               uuid        primary key,
    account_id       uuid        not null,
    -- The client's Idempotency-Key: a retried request finds its first row instead of a new one.
    idempotency_key  text,
    message_id       text        not null,
    envelope_from    text        not null,
    recipients       jsonb       not null,
    subject          text,
    mime             bytea       not null,
    size_bytes       integer     not null,
    -- queued -> (retrying)* -> sent | failed; sent and failed are final.
    state            text        not null default 'queued',
    attempts         integer     not null default 0,
    last_code        integer,
    last_reason      text,
    next_attempt_at  timestamptz,
    smtp_reply       text,
    sent_copy_mailbox text,
    sent_copy_problem text,
    created_at       timestamptz not null,
    updated_at       timestamptz not null,
    sent_at          timestamptz,
    relayed_at       timestamptz,
    constraint outbox_idempotency unique (account_id, idempotency_key),
    constraint outbox_state check (state in ('queued', 'retrying', 'sent', 'failed'))
);
create index outbox_unrelayed on outbox_message (created_at) where relayed_at is null;
create index outbox_account on outbox_message (account_id, created_at desc);
