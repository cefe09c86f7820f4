-- Messages the store held and no longer holds (their last location expunged, or their mailbox
-- deleted): an action on one answers 410 Gone, not the 404 of an id never seen. Written by a
-- trigger on every delete of a message row, so each way a message goes (LocationSql.EXPUNGE,
-- MailboxSql.DROP_LOCATIONS) leaves its tombstone in the same transaction. A message that comes
-- back under the same identity (copied back) is found in `message` first; the tombstone then
-- says nothing.
create table expunged_message (
    account_id    uuid        not null,
    identity      text        not null,
    expunged_at   timestamptz not null default now(),
    primary key (account_id, identity)
);

create function remember_expunged_message() returns trigger language plpgsql as $$
begin
    insert into expunged_message (account_id, identity) values (old.account_id, old.identity)
    on conflict (account_id, identity) do update set expunged_at = now();
    return null;
end $$;
create trigger message_expunged after delete on message
    for each row execute function remember_expunged_message();

-- What an Idempotency-Key request asked (the gateway's digest, mailroom.command.requested.v1
-- `requestDigest`): the same key with another request is refused instead of answered.
alter table command add column request_digest text;
