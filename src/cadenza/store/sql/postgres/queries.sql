-- PostgreSQL versions of queries whose text differs between dialects (JSON array membership).

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
       OR CAST(t.candidate_users AS jsonb) @> jsonb_build_array(CAST(:candidate_user AS TEXT)))
  AND (CAST(:candidate_group AS TEXT) IS NULL
       OR CAST(t.candidate_groups AS jsonb) @> jsonb_build_array(CAST(:candidate_group AS TEXT)))
  AND (CAST(:state AS TEXT) IS NULL OR t.state = :state)
  AND (CAST(:process_instance_key AS BIGINT) IS NULL OR t.process_instance_key = :process_instance_key)
  AND (CAST(:element_instance_key AS BIGINT) IS NULL OR t.element_instance_key = :element_instance_key)
  AND (CAST(:process_definition_key AS BIGINT) IS NULL OR t.process_definition_key = :process_definition_key)
  AND (CAST(:bpmn_process_id AS TEXT) IS NULL OR t.bpmn_process_id = :bpmn_process_id)
  AND (CAST(:tenant_id AS TEXT) IS NULL OR t.tenant_id = :tenant_id);

-- name: lock_partition_lease
SELECT node_id, fencing_token, lease_until FROM partition_leases
WHERE partition_id = :partition_id
FOR UPDATE;

-- name: check_partition_lease
SELECT node_id, fencing_token, lease_until FROM partition_leases
WHERE partition_id = :partition_id
FOR SHARE;

-- name: lock_migrations
-- Serialises nodes that start at once: only one applies the migrations.
SELECT pg_advisory_xact_lock(7405310071);

-- name: copy_records
COPY records (
    partition_id, position, source_position, record_key, record_type, value_type, intent,
    value, value_codec, timestamp, rejection_type, rejection_reason, record_version
) FROM STDIN;
