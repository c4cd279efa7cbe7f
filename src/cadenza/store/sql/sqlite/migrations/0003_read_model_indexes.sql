-- Cadenza store, sqlite dialect, migration 0003: drop indexes of the busiest read-model tables
-- that no query needs. Every projected row pays for its table's indexes on insert (and on update
-- when an indexed column changes), and these tables take rows for nearly every event. SQLite
-- plans the searches' `(:f IS NULL OR column = :f)` filters as table scans whatever the filter
-- (EXPLAIN QUERY PLAN), so an index of these tables only ever served a sort on its first column
-- (processInstanceKey, scopeKey, type, ...), which a bounded sort over the scan serves as well.
-- Kept: element_instances_by_element (element statistics), process_instances_by_start (the
-- newest-first instance list) and every index of the low-volume tables.

DROP INDEX process_instances_by_process;
DROP INDEX process_instances_by_definition;
DROP INDEX process_instances_by_parent;
DROP INDEX element_instances_by_instance;
DROP INDEX variables_by_scope;
DROP INDEX variables_by_instance;
DROP INDEX jobs_by_instance;
DROP INDEX jobs_by_type;
