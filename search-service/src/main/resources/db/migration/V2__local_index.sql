-- The local index (docs/adr/0006): one row per message location, fed from the mail topic.
-- pg_trgm is a trusted extension (PostgreSQL 13+), so the database owner creates it here; the
-- stack installs it with postgresql-contrib (deploy/scripts/install.sh).
create extension if not exists pg_trgm;

create table indexed_message (
  account_id    uuid        not null,
  mailbox       text        not null,
  uid_validity  bigint      not null,
  uid           bigint      not null,
  identity      text        not null,
  subject       text,
  from_text     text        not null default '',
  to_text       text        not null default '',
  cc_text       text        not null default '',
  body          text,
  sent_at       timestamptz,
  flags         text[]      not null default '{}',
  mod_seq       bigint,
  attachments   integer     not null default 0,
  -- 'simple': no stemming, mail comes in every language. Subject weighs most, then addresses.
  doc tsvector generated always as (
    setweight(to_tsvector('simple', coalesce(subject, '')), 'A')
    || setweight(to_tsvector('simple', from_text || ' ' || to_text || ' ' || cc_text), 'B')
    || setweight(to_tsvector('simple', coalesce(body, '')), 'C')) stored,
  primary key (account_id, mailbox, uid)
);
create index indexed_message_doc on indexed_message using gin (doc);
create index indexed_message_sent on indexed_message (account_id, sent_at desc);
create index indexed_message_from on indexed_message using gin (from_text gin_trgm_ops);
create index indexed_message_to on indexed_message using gin (to_text gin_trgm_ops);
create index indexed_message_subject on indexed_message using gin (subject gin_trgm_ops);

-- Every word the index has seen: a misspelled query word is matched to its neighbours here by
-- trigram similarity, then searched as those words in the full-text index. Words are never
-- removed: a stale one only widens a query that then matches nothing more.
create table indexed_word (
  word text primary key
);
create index indexed_word_trgm on indexed_word using gin (word gin_trgm_ops);

-- What the index knows of each mailbox: whether its first sync is complete (the answer is
-- partial otherwise, and the server is asked too).
create table indexed_mailbox (
  account_id   uuid    not null,
  mailbox      text    not null,
  uid_validity bigint  not null,
  synced       boolean not null,
  messages     bigint  not null default 0,
  primary key (account_id, mailbox)
);

-- The account's capability atoms from its last connection: they choose the route.
create table indexed_account (
  account_id   uuid   primary key,
  capabilities text[] not null,
  seen_at      timestamptz not null
);
