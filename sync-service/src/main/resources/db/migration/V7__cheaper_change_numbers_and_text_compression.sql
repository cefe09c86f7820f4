-- A first sync writes a change-log row for every message, and the store's texts of up to 16 KB
-- each: the two largest shares of PostgreSQL's CPU while an account's first sync is stored.

-- The change number comes from the serial column's own sequence, named once here rather than
-- looked up in the catalog (pg_get_serial_sequence) for every row. Same lock, same order (V6).
create or replace function log_in_commit_order() returns trigger language plpgsql as $$
begin
    perform pg_advisory_xact_lock(hashtextextended(new.account_id::text, 17));
    new.seq := nextval('change_log_seq_seq'::regclass);
    return new;
end $$;

-- Texts and HTML are compressed when stored out of line (TOAST); LZ4 does it several times faster
-- than PostgreSQL's default pglz (which took about a seventh of PostgreSQL's CPU during a first
-- sync), at a similar ratio for text. Only where the server was built with it (PostgreSQL 14+,
-- --with-lz4, as the Debian and official images are); values already stored stay as they are.
do $$
begin
    if exists (select 1 from pg_settings
               where name = 'default_toast_compression' and 'lz4' = any(enumvals)) then
        alter table message alter column text_body set compression lz4;
        alter table message alter column html_body set compression lz4;
    end if;
end $$;
