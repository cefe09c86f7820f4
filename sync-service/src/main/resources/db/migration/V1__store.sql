-- The store sync-service keeps in step with the IMAP servers, from the events on Kafka.
-- Rows are written only by idempotent upserts (see ingest/MailStore.java), so a replayed
-- or duplicated event changes nothing.

-- Accounts, from mailroom.accounts.v1. No password: only the connector ever sees one.
create table account (
    id             uuid        primary key,
    owner_id       text        not null,
    display_name   text,
    email          text,
    imap_host      text        not null,
    imap_port      integer     not null,
    imap_security  text        not null,
    imap_username  text        not null,
    defined_at     timestamptz not null,
    created_at     timestamptz not null default now()
);
create index account_owner_idx on account (owner_id);

-- Mailboxes and their sync checkpoint, from mailroom.mailbox.status.v1. Mail events may be
-- read before the account's definition (two topics), so there is no foreign key to account.
create table mailbox (
    id              bigserial   primary key,
    account_id      uuid        not null,
    path            text        not null,
    delimiter       text,
    role            text,
    -- RFC 9051 §2.3.1.1: unsigned 32-bit, so bigint with a range check.
    uid_validity    bigint      not null check (uid_validity between 1 and 4294967295),
    uid_next        bigint      not null check (uid_next between 1 and 4294967296),
    highest_modseq  bigint      check (highest_modseq >= 0),
    messages        bigint      not null,
    unseen          bigint      not null,
    observed_at     timestamptz not null,
    unique (account_id, path)
);

-- A message's identity, kept apart from where it is, so a move keeps the message.
create table message (
    id            bigserial   primary key,
    account_id    uuid        not null,
    identity      text        not null,
    message_id    text,
    subject       text,
    from_json     jsonb       not null default '[]',
    to_json       jsonb       not null default '[]',
    cc_json       jsonb       not null default '[]',
    sent_at       timestamptz,
    size          bigint      not null,
    in_reply_to   text,
    references_json jsonb     not null default '[]',
    unique (account_id, identity)
);

-- Where a message is: (mailbox, UIDVALIDITY, UID) on the server, with its flags there.
create table message_location (
    account_id     uuid        not null,
    mailbox        text        not null,
    uid_validity   bigint      not null check (uid_validity between 1 and 4294967295),
    uid            bigint      not null check (uid between 1 and 4294967295),
    message_ref    bigint      not null references message (id),
    flags          text[]      not null default '{}',
    modseq         bigint      check (modseq >= 0),
    internal_date  timestamptz not null,
    primary key (account_id, mailbox, uid_validity, uid)
);
-- Keyset pagination of a mailbox, newest first: (internal_date, uid) descending.
create index message_location_page_idx
    on message_location (account_id, mailbox, internal_date desc, uid desc);
create index message_location_message_idx on message_location (message_ref);
