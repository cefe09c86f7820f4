-- A deleted account leaves a tombstone for the compacted account-status topic: an outbox row
-- without a payload (AccountStatusService.forget, StatusRelay).
alter table status_outbox alter column payload drop not null;
