-- search-service keeps the local index here. The foundation creates the schema history only;
-- the index tables come with the search routing work.
select 1;
