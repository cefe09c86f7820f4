-- A reply found by its subject joins the latest message of that subject (ingest/LocationSql.java:
-- "order by m.id desc limit 1"). With the id in the index that is one index row, however many
-- messages share the subject and whatever the planner knows of the table: a plan made while the
-- table was small could otherwise walk the primary key backwards over the whole account.
create index message_subject_key_latest_idx on message (account_id, subject_key, id);
drop index message_subject_key_idx;
