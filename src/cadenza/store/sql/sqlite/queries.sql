-- SQLite versions of queries whose text differs between dialects (JSON array membership).

-- name: search_user_tasks
SELECT t.user_task_key, t.element_id, t.name, t.assignee, t.candidate_users,
       t.candidate_groups, t.state, t.due_date, t.follow_up_date, t.form_key,
       t.external_form_reference, t.priority, t.custom_headers, t.element_instance_key,
       t.process_instance_key, t.process_definition_key, t.bpmn_process_id,
       t.process_definition_version, t.tenant_id, t.creation_date, t.completion_date
FROM user_tasks t
WHERE (CAST(:user_task_key AS BIGINT) IS NULL OR t.user_task_key = :user_task_key)
  AND (CAST(:element_id AS TEXT) IS NULL OR t.element_id = :element_id)
  AND (CAST(:assignee AS TEXT) IS NULL OR t.assignee = :assignee)
  AND (CAST(:candidate_user AS TEXT) IS NULL
       OR EXISTS (SELECT 1 FROM json_each(t.candidate_users) c WHERE c.value = :candidate_user))
  AND (CAST(:candidate_group AS TEXT) IS NULL
       OR EXISTS (SELECT 1 FROM json_each(t.candidate_groups) c WHERE c.value = :candidate_group))
  AND (CAST(:state AS TEXT) IS NULL OR t.state = :state)
  AND (CAST(:process_instance_key AS BIGINT) IS NULL OR t.process_instance_key = :process_instance_key)
  AND (CAST(:element_instance_key AS BIGINT) IS NULL OR t.element_instance_key = :element_instance_key)
  AND (CAST(:process_definition_key AS BIGINT) IS NULL OR t.process_definition_key = :process_definition_key)
  AND (CAST(:bpmn_process_id AS TEXT) IS NULL OR t.bpmn_process_id = :bpmn_process_id)
  AND (CAST(:tenant_id AS TEXT) IS NULL OR t.tenant_id = :tenant_id);

-- name: configure_connection
-- Run once per connection, outside any transaction. {busy_timeout_ms} is an int and
-- {synchronous} is NORMAL or FULL, checked by the store (PRAGMA takes no parameters). WAL lets
-- readers run beside the writer and makes a commit one append to the WAL file.
PRAGMA busy_timeout = {busy_timeout_ms};
PRAGMA journal_mode = WAL;
PRAGMA synchronous = {synchronous};
PRAGMA temp_store = MEMORY;
PRAGMA cache_size = -65536;
-- A checkpoint copies the WAL into the database and syncs both; at the default of 1,000 pages
-- (4 MB) nearly every batch commit of a busy partition paid for one. At 16,384 pages (64 MB)
-- checkpoints are rare and a page changed by many commits is copied once. Durability does not
-- depend on it: a commit is in the WAL either way. The size limit truncates the WAL file back
-- after a checkpoint that followed a larger transaction.
PRAGMA wal_autocheckpoint = 16384;
PRAGMA journal_size_limit = 67108864;

-- name: begin_write
-- IMMEDIATE takes the write lock up front: a transaction that starts reading and then writes
-- could otherwise fail with SQLITE_BUSY when another process writes meanwhile.
BEGIN IMMEDIATE;

-- name: commit
COMMIT;

-- name: rollback
ROLLBACK;

-- name: configure_reader
-- The second connection, used for searches and log reads only.
PRAGMA busy_timeout = {busy_timeout_ms};
PRAGMA query_only = ON;
PRAGMA cache_size = -65536;
