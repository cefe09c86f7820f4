-- Commands' outcomes and sends in the change log, so GET /api/events tells the owner that a
-- command went from pending to applied or failed (with the server's words) and that a message
-- was queued, is retried, was sent or failed, and Last-Event-ID resume covers them as it covers
-- message changes. Written by triggers in the transaction that changes the command or outbox
-- row, as V2's are: a change is listed if and only if it was committed, and a replayed event
-- that changes nothing (an older outcome after a newer one) lists nothing.
--
-- What a person needs to act on is kept with the change, as it was then: a stream resuming
-- later sees "pending" then "failed: NO [CANNOT] ...", not the latest state twice.
alter table change_log add column payload jsonb;

create function log_command_change() returns trigger language plpgsql as $$
begin
    -- The outcome may be stored before its request (two topics): the request read later fills
    -- in the action but leaves the status, and says nothing new.
    if tg_op = 'INSERT' or new.status is distinct from old.status then
        insert into change_log (account_id, kind, payload)
        values (new.account_id, 'command.' || new.status, jsonb_strip_nulls(jsonb_build_object(
            'commandId', new.id, 'action', new.action, 'status', new.status,
            'reason', new.reason, 'detail', new.detail, 'changed', new.changed,
            'unchanged', new.unchanged, 'targets', new.targets)));
    end if;
    return null;
end $$;
create trigger command_changes after insert or update on command
    for each row execute function log_command_change();

create function log_outbox_change() returns trigger language plpgsql as $$
begin
    -- A new attempt is news even when the state stays "retrying"; relaying (relayed_at) is not.
    if tg_op = 'INSERT' or new.state is distinct from old.state
       or new.attempts is distinct from old.attempts then
        insert into change_log (account_id, kind, payload)
        values (new.account_id, 'outbox.' || new.state, jsonb_strip_nulls(jsonb_build_object(
            'outboxId', new.id, 'messageId', new.message_id, 'state', new.state,
            'attempts', new.attempts, 'lastCode', new.last_code, 'lastReason', new.last_reason,
            'nextAttemptAt', new.next_attempt_at, 'smtpReply', new.smtp_reply,
            'sentCopyMailbox', new.sent_copy_mailbox, 'sentCopyProblem', new.sent_copy_problem,
            'sentAt', new.sent_at)));
    end if;
    return null;
end $$;
create trigger outbox_changes after insert or update on outbox_message
    for each row execute function log_outbox_change();

-- Commands, sends and mail events of one account are now written by different transactions at
-- the same time (the commands, mail and outbox consumers, the gateway's send request). A reader
-- keeps a cursor (the last seq it saw), so a transaction that took seq 10 and commits after the
-- one that took seq 11 would be skipped. Each transaction that logs a change of an account takes
-- the account's transaction lock first and only then its number: numbers of one account are
-- committed in their order. The lock is held until commit; two transactions locking two accounts
-- in opposite order deadlock, which PostgreSQL breaks and the consumers retry (SQLSTATE 40P01,
-- StoreFailures).
create function log_in_commit_order() returns trigger language plpgsql as $$
begin
    perform pg_advisory_xact_lock(hashtextextended(new.account_id::text, 17));
    new.seq := nextval(pg_get_serial_sequence('change_log', 'seq'));
    return new;
end $$;
create trigger change_log_commit_order before insert on change_log
    for each row execute function log_in_commit_order();
