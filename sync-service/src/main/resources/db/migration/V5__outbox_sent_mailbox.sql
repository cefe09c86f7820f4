-- Where the copy of a sent message goes: the Sent role as the owner's mapping resolved it when the
-- gateway queued the message (null: the provider keeps the copy itself, or the store knew no
-- mailboxes yet and the connector finds Sent on the server).
alter table outbox_message add column sent_mailbox text;
-- Pruning (OutboxPruner) finds final rows older than the retention without reading the rest.
create index outbox_final on outbox_message (updated_at) where state in ('sent', 'failed');
