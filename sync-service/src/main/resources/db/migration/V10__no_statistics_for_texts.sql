-- ANALYZE (autovacuum's, after every few thousand adds) samples up to 30,000 message rows and
-- builds statistics for each column. Most of its time went to the texts, the HTML, the snippet and
-- the address and reference lists: a 10,000-message account took 180-300 ms to analyze, 65 ms
-- without them, and a first sync of 100,000 messages ran it while it stored (0.7-0.9 s of CPU
-- each time). No query filters, joins or sorts on these columns, so the planner never reads their
-- statistics: none are kept.
alter table message
    alter column text_body set statistics 0,
    alter column html_body set statistics 0,
    alter column snippet set statistics 0,
    alter column from_json set statistics 0,
    alter column to_json set statistics 0,
    alter column cc_json set statistics 0,
    alter column references_json set statistics 0;

-- The address and reference lists and the snippet are compressed like the texts (V7) when a row
-- is too large to store as it is: LZ4 where the server has it, several times faster than pglz.
do $$
begin
    if exists (select 1 from pg_settings
               where name = 'default_toast_compression' and 'lz4' = any(enumvals)) then
        alter table message
            alter column from_json set compression lz4,
            alter column to_json set compression lz4,
            alter column cc_json set compression lz4,
            alter column references_json set compression lz4,
            alter column snippet set compression lz4;
    end if;
end $$;
