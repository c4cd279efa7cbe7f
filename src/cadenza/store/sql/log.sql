-- Named queries of the record log, snapshots and migrations, shared by SQLite and PostgreSQL.
-- Placeholders: `?` positional, `:name` named; the PostgreSQL loader rewrites them to psycopg's
-- `%s` / `%(name)s`. A dialect file (sqlite/queries.sql, postgres/queries.sql) may override a
-- query of the same name.

-- name: create_schema_version
-- The migration bookkeeping table; the only statement run before the migrations.
CREATE TABLE IF NOT EXISTS schema_version (
    version INTEGER PRIMARY KEY,  -- number of the applied migration file
    name    TEXT NOT NULL         -- its file name
);

-- name: applied_migrations
SELECT version FROM schema_version ORDER BY version;

-- name: record_migration
INSERT INTO schema_version (version, name) VALUES (:version, :name);

-- name: append_record
INSERT INTO records (
    partition_id, position, source_position, record_key, record_type, value_type, intent,
    value, value_codec, timestamp, rejection_type, rejection_reason, record_version
) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?);

-- name: last_position
SELECT COALESCE(MAX(position), 0) FROM records WHERE partition_id = :partition_id;

-- name: read_records
-- One page of a partition's log; callers page on the last position they saw.
SELECT partition_id, position, source_position, record_key, record_type, value_type, intent,
       value, value_codec, timestamp, rejection_type, rejection_reason, record_version
FROM records
WHERE partition_id = :partition_id AND position > :after_position
ORDER BY position
LIMIT :limit;

-- name: insert_snapshot
INSERT INTO snapshots (partition_id, position, format_version, state)
VALUES (:partition_id, :position, :format_version, :state)
ON CONFLICT (partition_id, position) DO UPDATE SET
    format_version = excluded.format_version,
    state = excluded.state;

-- name: drop_older_snapshots
DELETE FROM snapshots WHERE partition_id = :partition_id AND position < :position;

-- name: latest_snapshot
SELECT partition_id, position, format_version, state
FROM snapshots
WHERE partition_id = :partition_id
ORDER BY position DESC
LIMIT 1;

-- name: insert_partition_lease
INSERT INTO partition_leases (partition_id, node_id, fencing_token, lease_until)
VALUES (:partition_id, :node_id, 1, :lease_until);

-- name: update_partition_lease
-- A new owner gets a greater token; the same owner renewing keeps its token.
UPDATE partition_leases
SET node_id = :node_id,
    fencing_token = CASE WHEN node_id = :node_id THEN fencing_token ELSE fencing_token + 1 END,
    lease_until = :lease_until
WHERE partition_id = :partition_id;

-- name: lock_partition_lease
-- Read a lease in order to change it (PostgreSQL locks the row; SQLite's write transaction
-- already excludes other writers).
SELECT node_id, fencing_token, lease_until FROM partition_leases
WHERE partition_id = :partition_id;

-- name: check_partition_lease
-- Read a lease in an append to check the fencing token; the lock (PostgreSQL) makes a takeover
-- wait for the append or the append see the takeover.
SELECT node_id, fencing_token, lease_until FROM partition_leases
WHERE partition_id = :partition_id;
