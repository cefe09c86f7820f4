-- Reconciliation state: what lets every event be applied any number of times, in a replayed
-- order, and still end in the state of applying each once (see ingest/Reconciler.java).

-- Accounts: lifecycle status and owner settings (free-form, validated by the gateway).
alter table account add column status   text  not null default 'defined';
alter table account add column settings jsonb not null default '{}';

-- A mailbox row may now be made by the first sync's progress, before its first status.
alter table mailbox alter column uid_next set default 1;
alter table mailbox alter column messages set default 0;
alter table mailbox alter column unseen   set default 0;
-- How far the first sync of the mailbox (at uid_validity) has come; monotone within it.
alter table mailbox add column sync_done  bigint not null default 0 check (sync_done >= 0);
alter table mailbox add column sync_total bigint check (sync_total >= 0);

-- A (path, UIDVALIDITY) the server no longer has: reset (RFC 9051 §2.3.1.1), deleted, or
-- renamed away. Events for it are old news, whenever they are delivered again.
create table retired_mailbox (
    account_id    uuid   not null,
    path          text   not null,
    uid_validity  bigint not null check (uid_validity between 1 and 4294967295),
    primary key (account_id, path, uid_validity)
);

-- A location that was expunged. RFC 9051 §2.3.1.1: a UID is never reused within one
-- UIDVALIDITY, so the location can never come back and a replayed "added" must not revive it.
create table expunged_location (
    account_id    uuid   not null,
    mailbox       text   not null,
    uid_validity  bigint not null check (uid_validity between 1 and 4294967295),
    uid           bigint not null check (uid between 1 and 4294967295),
    primary key (account_id, mailbox, uid_validity, uid)
);

-- Message content beyond the envelope: bounded bodies, the thread, the subject for threading.
alter table message add column thread_id   text;
alter table message add column subject_key text;
alter table message add column snippet     text;
alter table message add column text_body   text;
alter table message add column html_body   text;
create index message_thread_idx on message (account_id, thread_id, sent_at);
create index message_subject_key_idx on message (account_id, subject_key);

-- Attachment metadata; the content stays on the server.
create table attachment (
    message_ref   bigint not null references message (id) on delete cascade,
    part          text   not null,
    filename      text,
    content_type  text,
    size          bigint not null,
    primary key (message_ref, part)
);

-- The page index (V1) stays (account, mailbox, internal date, UID), without UIDVALIDITY: with it,
-- its prefix equals the primary key's, and before the first ANALYZE of a bulk-loaded account
-- the planner could pick it for the one-row flag and expunge lookups and scan the whole mailbox
-- per event (measured: 2.6 s per 1,000 flag changes instead of 40 ms). Keep statistics fresh
-- after large first syncs as well.
alter table message_location set (autovacuum_analyze_scale_factor = 0.02,
                                  autovacuum_analyze_threshold = 1000);

-- What changed, per account, in commit order of the change: written by triggers in the same
-- transaction as the change itself, so a change is listed if and only if it was committed, and
-- a replay that changes nothing lists nothing. Read by GET /internal/accounts/{id}/changes.
create table change_log (
    seq           bigserial   primary key,
    account_id    uuid        not null,
    kind          text        not null,
    mailbox       text,
    uid_validity  bigint,
    uid           bigint,
    message_ref   bigint,
    at            timestamptz not null default now()
);
create index change_log_account_idx on change_log (account_id, seq);

create function log_location_change() returns trigger language plpgsql as $$
begin
    if tg_op = 'INSERT' then
        insert into change_log (account_id, kind, mailbox, uid_validity, uid, message_ref)
        values (new.account_id, 'message.added', new.mailbox, new.uid_validity, new.uid, new.message_ref);
    elsif tg_op = 'DELETE' then
        insert into change_log (account_id, kind, mailbox, uid_validity, uid, message_ref)
        values (old.account_id, 'message.removed', old.mailbox, old.uid_validity, old.uid, old.message_ref);
    elsif new.mailbox is distinct from old.mailbox then
        insert into change_log (account_id, kind, mailbox, uid_validity, uid, message_ref)
        values (old.account_id, 'message.removed', old.mailbox, old.uid_validity, old.uid, old.message_ref),
               (new.account_id, 'message.added', new.mailbox, new.uid_validity, new.uid, new.message_ref);
    elsif new.flags is distinct from old.flags then
        insert into change_log (account_id, kind, mailbox, uid_validity, uid, message_ref)
        values (new.account_id, 'message.changed', new.mailbox, new.uid_validity, new.uid, new.message_ref);
    end if;
    return null;
end $$;
create trigger message_location_changes after insert or update or delete on message_location
    for each row execute function log_location_change();

create function log_mailbox_change() returns trigger language plpgsql as $$
begin
    if tg_op = 'DELETE' then
        insert into change_log (account_id, kind, mailbox, uid_validity)
        values (old.account_id, 'mailbox.removed', old.path, old.uid_validity);
    elsif tg_op = 'INSERT' or new.path is distinct from old.path
          or new.uid_validity is distinct from old.uid_validity
          or new.messages is distinct from old.messages or new.unseen is distinct from old.unseen
          or new.role is distinct from old.role then
        insert into change_log (account_id, kind, mailbox, uid_validity)
        values (new.account_id, 'mailbox.changed', new.path, new.uid_validity);
    end if;
    return null;
end $$;
create trigger mailbox_changes after insert or update or delete on mailbox
    for each row execute function log_mailbox_change();
