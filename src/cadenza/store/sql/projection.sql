-- Named statements of the read-model projector, one per table. Each is an upsert so that every
-- event of a row's lifecycle is one statement and a batch runs as one executemany per table.
-- Convention: a NULL parameter in an update means "this event does not carry the field", so
-- the stored value is kept (COALESCE); events that clear a field carry '' or -1, as Zeebe's do.

-- name: project_process_definition
INSERT INTO process_definitions (
    process_definition_key, bpmn_process_id, version, version_tag, resource_name, checksum,
    resource, tenant_id, deployment_time
) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (process_definition_key) DO NOTHING;

-- name: project_decision_requirements
INSERT INTO decision_requirements (
    decision_requirements_key, decision_requirements_id, decision_requirements_name, version,
    namespace, resource_name, checksum, resource, tenant_id, deployment_time
) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (decision_requirements_key) DO NOTHING;

-- name: project_decision_definition
INSERT INTO decision_definitions (
    decision_key, decision_id, decision_name, version, decision_requirements_id,
    decision_requirements_key, tenant_id, deployment_time
) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (decision_key) DO NOTHING;

-- name: project_process_instance
INSERT INTO process_instances (
    process_instance_key, bpmn_process_id, version, process_definition_key, state, start_date,
    end_date, parent_process_instance_key, parent_element_instance_key, tenant_id
) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (process_instance_key) DO UPDATE SET
    state = excluded.state,
    end_date = COALESCE(excluded.end_date, process_instances.end_date);

-- name: project_element_instance
INSERT INTO element_instances (
    element_instance_key, process_instance_key, process_definition_key, bpmn_process_id,
    element_id, element_type, flow_scope_key, state, start_date, end_date, tenant_id
) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (element_instance_key) DO UPDATE SET
    state = excluded.state,
    end_date = COALESCE(excluded.end_date, element_instances.end_date);

-- name: project_variable
INSERT INTO variables (
    variable_key, name, value, scope_key, process_instance_key, process_definition_key,
    bpmn_process_id, tenant_id
) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (variable_key) DO UPDATE SET
    value = excluded.value;

-- name: project_incident
INSERT INTO incidents (
    incident_key, error_type, error_message, bpmn_process_id, process_definition_key,
    process_instance_key, element_id, element_instance_key, job_key, variable_scope_key, state,
    creation_time, resolution_time, tenant_id
) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (incident_key) DO UPDATE SET
    state = excluded.state,
    resolution_time = COALESCE(excluded.resolution_time, incidents.resolution_time);

-- name: project_job
INSERT INTO jobs (
    job_key, type, worker, state, retries, retry_backoff, deadline, timeout, error_message,
    error_code, custom_headers, element_id, element_instance_key, process_instance_key,
    process_definition_key, bpmn_process_id, process_definition_version, tenant_id,
    creation_time, last_update_time
) VALUES (?, ?, ?, COALESCE(?, 'CREATED'), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (job_key) DO UPDATE SET
    worker = COALESCE(excluded.worker, jobs.worker),
    state = CASE WHEN CAST(? AS TEXT) IS NULL THEN jobs.state ELSE excluded.state END,
    retries = COALESCE(excluded.retries, jobs.retries),
    retry_backoff = COALESCE(excluded.retry_backoff, jobs.retry_backoff),
    deadline = COALESCE(excluded.deadline, jobs.deadline),
    timeout = COALESCE(excluded.timeout, jobs.timeout),
    error_message = COALESCE(excluded.error_message, jobs.error_message),
    error_code = COALESCE(excluded.error_code, jobs.error_code),
    last_update_time = excluded.last_update_time;

-- name: project_user_task
INSERT INTO user_tasks (
    user_task_key, element_id, name, assignee, candidate_users, candidate_groups, state,
    due_date, follow_up_date, form_key, external_form_reference, priority, custom_headers,
    element_instance_key, process_instance_key, process_definition_key, bpmn_process_id,
    process_definition_version, tenant_id, creation_date, completion_date
) VALUES (?, ?, ?, ?, ?, ?, COALESCE(?, 'CREATED'), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (user_task_key) DO UPDATE SET
    name = COALESCE(excluded.name, user_tasks.name),
    assignee = COALESCE(excluded.assignee, user_tasks.assignee),
    candidate_users = COALESCE(excluded.candidate_users, user_tasks.candidate_users),
    candidate_groups = COALESCE(excluded.candidate_groups, user_tasks.candidate_groups),
    state = CASE WHEN CAST(? AS TEXT) IS NULL THEN user_tasks.state ELSE excluded.state END,
    due_date = COALESCE(excluded.due_date, user_tasks.due_date),
    follow_up_date = COALESCE(excluded.follow_up_date, user_tasks.follow_up_date),
    priority = COALESCE(excluded.priority, user_tasks.priority),
    completion_date = COALESCE(excluded.completion_date, user_tasks.completion_date);

-- name: project_decision_instance
INSERT INTO decision_instances (
    decision_evaluation_key, state, evaluation_date, decision_key, decision_id, decision_name,
    decision_version, decision_requirements_key, decision_output, evaluated_decisions,
    evaluation_failure_message, failed_decision_id, process_instance_key, element_instance_key,
    element_id, process_definition_key, bpmn_process_id, tenant_id
) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (decision_evaluation_key) DO NOTHING;

-- name: log_partitions
SELECT DISTINCT partition_id FROM records ORDER BY partition_id;

-- The clear_* statements empty the read-model tables before a rebuild from the log.

-- name: clear_process_definitions
DELETE FROM process_definitions;

-- name: clear_decision_requirements
DELETE FROM decision_requirements;

-- name: clear_decision_definitions
DELETE FROM decision_definitions;

-- name: clear_process_instances
DELETE FROM process_instances;

-- name: clear_element_instances
DELETE FROM element_instances;

-- name: clear_variables
DELETE FROM variables;

-- name: clear_incidents
DELETE FROM incidents;

-- name: clear_jobs
DELETE FROM jobs;

-- name: clear_user_tasks
DELETE FROM user_tasks;

-- name: clear_decision_instances
DELETE FROM decision_instances;

-- name: project_form
INSERT INTO forms (
    form_key, form_id, version, resource_name, checksum, resource, tenant_id, deployment_time
) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (form_key) DO NOTHING;

-- name: clear_forms
DELETE FROM forms;
