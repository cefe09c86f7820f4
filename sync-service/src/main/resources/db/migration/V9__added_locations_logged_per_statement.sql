-- A first sync adds hundreds of locations per statement (LocationSql.ADD). Their change-log rows
-- were written by a trigger call per row, each running its own INSERT: a sixth of PostgreSQL's
-- CPU while a first sync was stored. Added locations are now logged once per statement, from the
-- statement's transition table (the rows it inserted, in the order it inserted them, which is the
-- order the adds came in); updates and deletes keep the row trigger of V2.
-- For INSERT ... ON CONFLICT DO UPDATE the transition table holds only the rows inserted; the
-- rows updated instead still go through the UPDATE row trigger, as before.

drop trigger message_location_changes on message_location;
create trigger message_location_changes after update or delete on message_location
    for each row execute function log_location_change();

create function log_location_inserts() returns trigger language plpgsql as $$
begin
    insert into change_log (account_id, kind, mailbox, uid_validity, uid, message_ref)
    select account_id, 'message.added', mailbox, uid_validity, uid, message_ref from added;
    return null;
end $$;
create trigger message_location_inserts after insert on message_location
    referencing new table as added
    for each statement execute function log_location_inserts();
