-- Commands owners asked for (mailroom.commands.v1) and their outcome (command.applied /
-- command.failed on mailroom.mail.v1). The two come on different topics, so either may be read
-- first: each writes what it knows and the outcome is never undone by the request read later.
create table command (
    id              uuid        primary key,
    account_id      uuid        not null,
    action          text,
    status          text        not null check (status in ('pending', 'applied', 'failed')),
    reason          text,
    detail          text,
    changed         integer,
    unchanged       integer,
    targets         integer,
    idempotency_key text,
    requested_by    text,
    requested_at    timestamptz,
    resolved_at     timestamptz
);
create index command_account_idx on command (account_id, requested_at);

-- What a pending command asks for at one location (flags to add and remove, or the mailbox it
-- moves to), shown over the server's state until the command's outcome arrives; then the
-- server's state (whose events precede the outcome) stands.
create table pending_flags (
    command_id    uuid        not null references command (id) on delete cascade,
    account_id    uuid        not null,
    mailbox       text        not null,
    uid_validity  bigint      not null check (uid_validity between 1 and 4294967295),
    uid           bigint      not null check (uid between 1 and 4294967295),
    add_flags     text[]      not null,
    remove_flags  text[]      not null,
    move_to       text,
    requested_at  timestamptz not null,
    primary key (command_id, mailbox, uid_validity, uid)
);
create index pending_flags_location_idx on pending_flags (account_id, mailbox, uid_validity, uid);

-- A pending change shows in the change feed like any other change of the message.
create function log_pending_change() returns trigger language plpgsql as $$
declare p pending_flags;
begin
    p := coalesce(new, old);
    insert into change_log (account_id, kind, mailbox, uid_validity, uid, message_ref)
    select p.account_id, 'message.changed', p.mailbox, p.uid_validity, p.uid, l.message_ref
    from message_location l
    where l.account_id = p.account_id and l.mailbox = p.mailbox
      and l.uid_validity = p.uid_validity and l.uid = p.uid;
    return null;
end $$;
create trigger pending_flags_changes after insert or delete on pending_flags
    for each row execute function log_pending_change();

-- The owner's choice of mailbox for a role (archive, sent, trash, junk, drafts). It wins over
-- SPECIAL-USE and names, and is the one thing here no event rebuilds: the owner set it through
-- the gateway (see role/Roles.java).
create table role_mapping (
    account_id  uuid        not null,
    role        text        not null check (role in ('archive', 'sent', 'trash', 'junk', 'drafts')),
    path        text        not null,
    set_at      timestamptz not null default now(),
    primary key (account_id, role)
);
