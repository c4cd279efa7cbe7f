-- Named base queries of the read-model searches, shared by SQLite and PostgreSQL.
-- Each selects the columns of one item type (cadenza.store read-model items, same names and
-- order) and filters with `(CAST(:f AS type) IS NULL OR column = :f)`: a NULL filter field
-- matches everything, so the text never depends on the filter. The search code wraps a base
-- query with the `page` and `count` templates below; ORDER BY columns come from an allow-list.

-- name: page
SELECT * FROM ({base}) AS q ORDER BY {order} LIMIT :limit OFFSET :offset;

-- name: count
SELECT COUNT(*) FROM ({base}) AS q;

-- name: search_process_definitions
SELECT d.process_definition_key, d.bpmn_process_id, d.version, d.version_tag, d.resource_name,
       d.checksum, d.tenant_id, d.deployment_time
FROM process_definitions d
WHERE (CAST(:process_definition_key AS BIGINT) IS NULL OR d.process_definition_key = :process_definition_key)
  AND (CAST(:bpmn_process_id AS TEXT) IS NULL OR d.bpmn_process_id = :bpmn_process_id)
  AND (CAST(:version AS BIGINT) IS NULL OR d.version = :version)
  AND (CAST(:version_tag AS TEXT) IS NULL OR d.version_tag = :version_tag)
  AND (CAST(:resource_name AS TEXT) IS NULL OR d.resource_name = :resource_name)
  AND (CAST(:tenant_id AS TEXT) IS NULL OR d.tenant_id = :tenant_id)
  AND (CAST(:latest_only AS INTEGER) IS NULL OR CAST(:latest_only AS INTEGER) = 0
       OR d.version = (SELECT MAX(l.version) FROM process_definitions l
                       WHERE l.bpmn_process_id = d.bpmn_process_id
                         AND COALESCE(l.tenant_id, '') = COALESCE(d.tenant_id, '')));

-- name: process_definition_resource
SELECT resource FROM process_definitions WHERE process_definition_key = :key;

-- name: search_decision_requirements
SELECT r.decision_requirements_key, r.decision_requirements_id, r.decision_requirements_name,
       r.version, r.namespace, r.resource_name, r.checksum, r.tenant_id, r.deployment_time
FROM decision_requirements r
WHERE (CAST(:decision_requirements_key AS BIGINT) IS NULL OR r.decision_requirements_key = :decision_requirements_key)
  AND (CAST(:decision_requirements_id AS TEXT) IS NULL OR r.decision_requirements_id = :decision_requirements_id)
  AND (CAST(:version AS BIGINT) IS NULL OR r.version = :version)
  AND (CAST(:tenant_id AS TEXT) IS NULL OR r.tenant_id = :tenant_id);

-- name: decision_requirements_resource
SELECT resource FROM decision_requirements WHERE decision_requirements_key = :key;

-- name: search_decision_definitions
SELECT d.decision_key, d.decision_id, d.decision_name, d.version, d.decision_requirements_id,
       d.decision_requirements_key, d.tenant_id, d.deployment_time
FROM decision_definitions d
WHERE (CAST(:decision_key AS BIGINT) IS NULL OR d.decision_key = :decision_key)
  AND (CAST(:decision_id AS TEXT) IS NULL OR d.decision_id = :decision_id)
  AND (CAST(:decision_name AS TEXT) IS NULL OR d.decision_name = :decision_name)
  AND (CAST(:version AS BIGINT) IS NULL OR d.version = :version)
  AND (CAST(:decision_requirements_key AS BIGINT) IS NULL OR d.decision_requirements_key = :decision_requirements_key)
  AND (CAST(:decision_requirements_id AS TEXT) IS NULL OR d.decision_requirements_id = :decision_requirements_id)
  AND (CAST(:tenant_id AS TEXT) IS NULL OR d.tenant_id = :tenant_id);

-- name: search_process_instances
SELECT p.process_instance_key, p.bpmn_process_id, p.version, p.process_definition_key, p.state,
       p.start_date, p.end_date, p.parent_process_instance_key, p.parent_element_instance_key,
       p.tenant_id,
       CASE WHEN EXISTS (SELECT 1 FROM incidents i
                         WHERE i.process_instance_key = p.process_instance_key
                           AND i.state = 'ACTIVE') THEN 1 ELSE 0 END AS has_incident
FROM process_instances p
WHERE (CAST(:process_instance_key AS BIGINT) IS NULL OR p.process_instance_key = :process_instance_key)
  AND (CAST(:bpmn_process_id AS TEXT) IS NULL OR p.bpmn_process_id = :bpmn_process_id)
  AND (CAST(:version AS BIGINT) IS NULL OR p.version = :version)
  AND (CAST(:process_definition_key AS BIGINT) IS NULL OR p.process_definition_key = :process_definition_key)
  AND (CAST(:state AS TEXT) IS NULL OR p.state = :state)
  AND (CAST(:parent_process_instance_key AS BIGINT) IS NULL OR p.parent_process_instance_key = :parent_process_instance_key)
  AND (CAST(:parent_element_instance_key AS BIGINT) IS NULL OR p.parent_element_instance_key = :parent_element_instance_key)
  AND (CAST(:start_date_from AS BIGINT) IS NULL OR p.start_date >= :start_date_from)
  AND (CAST(:start_date_to AS BIGINT) IS NULL OR p.start_date < :start_date_to)
  AND (CAST(:end_date_from AS BIGINT) IS NULL OR p.end_date >= :end_date_from)
  AND (CAST(:end_date_to AS BIGINT) IS NULL OR p.end_date < :end_date_to)
  AND (CAST(:tenant_id AS TEXT) IS NULL OR p.tenant_id = :tenant_id)
  AND (CAST(:has_incident AS INTEGER) IS NULL
       OR CAST(:has_incident AS INTEGER) = (CASE WHEN EXISTS (
              SELECT 1 FROM incidents i
              WHERE i.process_instance_key = p.process_instance_key AND i.state = 'ACTIVE')
            THEN 1 ELSE 0 END));

-- name: search_element_instances
SELECT e.element_instance_key, e.process_instance_key, e.process_definition_key,
       e.bpmn_process_id, e.element_id, e.element_type, e.flow_scope_key, e.state, e.start_date,
       e.end_date, e.tenant_id,
       CASE WHEN EXISTS (SELECT 1 FROM incidents i
                         WHERE i.element_instance_key = e.element_instance_key
                           AND i.state = 'ACTIVE') THEN 1 ELSE 0 END AS has_incident
FROM element_instances e
WHERE (CAST(:element_instance_key AS BIGINT) IS NULL OR e.element_instance_key = :element_instance_key)
  AND (CAST(:process_instance_key AS BIGINT) IS NULL OR e.process_instance_key = :process_instance_key)
  AND (CAST(:process_definition_key AS BIGINT) IS NULL OR e.process_definition_key = :process_definition_key)
  AND (CAST(:bpmn_process_id AS TEXT) IS NULL OR e.bpmn_process_id = :bpmn_process_id)
  AND (CAST(:element_id AS TEXT) IS NULL OR e.element_id = :element_id)
  AND (CAST(:element_type AS TEXT) IS NULL OR e.element_type = :element_type)
  AND (CAST(:flow_scope_key AS BIGINT) IS NULL OR e.flow_scope_key = :flow_scope_key)
  AND (CAST(:state AS TEXT) IS NULL OR e.state = :state)
  AND (CAST(:tenant_id AS TEXT) IS NULL OR e.tenant_id = :tenant_id)
  AND (CAST(:has_incident AS INTEGER) IS NULL
       OR CAST(:has_incident AS INTEGER) = (CASE WHEN EXISTS (
              SELECT 1 FROM incidents i
              WHERE i.element_instance_key = e.element_instance_key AND i.state = 'ACTIVE')
            THEN 1 ELSE 0 END));

-- name: search_variables
SELECT v.variable_key, v.name, v.value, v.scope_key, v.process_instance_key,
       v.process_definition_key, v.bpmn_process_id, v.tenant_id
FROM variables v
WHERE (CAST(:variable_key AS BIGINT) IS NULL OR v.variable_key = :variable_key)
  AND (CAST(:name AS TEXT) IS NULL OR v.name = :name)
  AND (CAST(:value AS TEXT) IS NULL OR v.value = :value)
  AND (CAST(:scope_key AS BIGINT) IS NULL OR v.scope_key = :scope_key)
  AND (CAST(:process_instance_key AS BIGINT) IS NULL OR v.process_instance_key = :process_instance_key)
  AND (CAST(:tenant_id AS TEXT) IS NULL OR v.tenant_id = :tenant_id);

-- name: search_incidents
SELECT i.incident_key, i.error_type, i.error_message, i.bpmn_process_id,
       i.process_definition_key, i.process_instance_key, i.element_id, i.element_instance_key,
       i.job_key, i.variable_scope_key, i.state, i.creation_time, i.resolution_time, i.tenant_id
FROM incidents i
WHERE (CAST(:incident_key AS BIGINT) IS NULL OR i.incident_key = :incident_key)
  AND (CAST(:error_type AS TEXT) IS NULL OR i.error_type = :error_type)
  AND (CAST(:bpmn_process_id AS TEXT) IS NULL OR i.bpmn_process_id = :bpmn_process_id)
  AND (CAST(:process_definition_key AS BIGINT) IS NULL OR i.process_definition_key = :process_definition_key)
  AND (CAST(:process_instance_key AS BIGINT) IS NULL OR i.process_instance_key = :process_instance_key)
  AND (CAST(:element_id AS TEXT) IS NULL OR i.element_id = :element_id)
  AND (CAST(:element_instance_key AS BIGINT) IS NULL OR i.element_instance_key = :element_instance_key)
  AND (CAST(:job_key AS BIGINT) IS NULL OR i.job_key = :job_key)
  AND (CAST(:state AS TEXT) IS NULL OR i.state = :state)
  AND (CAST(:creation_time_from AS BIGINT) IS NULL OR i.creation_time >= :creation_time_from)
  AND (CAST(:creation_time_to AS BIGINT) IS NULL OR i.creation_time < :creation_time_to)
  AND (CAST(:tenant_id AS TEXT) IS NULL OR i.tenant_id = :tenant_id);

-- name: search_jobs
SELECT j.job_key, j.type, j.worker, j.state, j.retries, j.retry_backoff, j.deadline, j.timeout,
       j.error_message, j.error_code, j.custom_headers, j.element_id, j.element_instance_key,
       j.process_instance_key, j.process_definition_key, j.bpmn_process_id,
       j.process_definition_version, j.tenant_id, j.creation_time, j.last_update_time
FROM jobs j
WHERE (CAST(:job_key AS BIGINT) IS NULL OR j.job_key = :job_key)
  AND (CAST(:type AS TEXT) IS NULL OR j.type = :type)
  AND (CAST(:worker AS TEXT) IS NULL OR j.worker = :worker)
  AND (CAST(:state AS TEXT) IS NULL OR j.state = :state)
  AND (CAST(:element_id AS TEXT) IS NULL OR j.element_id = :element_id)
  AND (CAST(:element_instance_key AS BIGINT) IS NULL OR j.element_instance_key = :element_instance_key)
  AND (CAST(:process_instance_key AS BIGINT) IS NULL OR j.process_instance_key = :process_instance_key)
  AND (CAST(:process_definition_key AS BIGINT) IS NULL OR j.process_definition_key = :process_definition_key)
  AND (CAST(:bpmn_process_id AS TEXT) IS NULL OR j.bpmn_process_id = :bpmn_process_id)
  AND (CAST(:tenant_id AS TEXT) IS NULL OR j.tenant_id = :tenant_id);

-- name: search_decision_instances
SELECT d.decision_evaluation_key, d.state, d.evaluation_date, d.decision_key, d.decision_id,
       d.decision_name, d.decision_version, d.decision_requirements_key, d.decision_output,
       d.evaluated_decisions, d.evaluation_failure_message, d.failed_decision_id,
       d.process_instance_key, d.element_instance_key, d.element_id, d.process_definition_key,
       d.bpmn_process_id, d.tenant_id
FROM decision_instances d
WHERE (CAST(:decision_evaluation_key AS BIGINT) IS NULL OR d.decision_evaluation_key = :decision_evaluation_key)
  AND (CAST(:state AS TEXT) IS NULL OR d.state = :state)
  AND (CAST(:decision_key AS BIGINT) IS NULL OR d.decision_key = :decision_key)
  AND (CAST(:decision_id AS TEXT) IS NULL OR d.decision_id = :decision_id)
  AND (CAST(:process_instance_key AS BIGINT) IS NULL OR d.process_instance_key = :process_instance_key)
  AND (CAST(:element_instance_key AS BIGINT) IS NULL OR d.element_instance_key = :element_instance_key)
  AND (CAST(:process_definition_key AS BIGINT) IS NULL OR d.process_definition_key = :process_definition_key)
  AND (CAST(:evaluation_date_from AS BIGINT) IS NULL OR d.evaluation_date >= :evaluation_date_from)
  AND (CAST(:evaluation_date_to AS BIGINT) IS NULL OR d.evaluation_date < :evaluation_date_to)
  AND (CAST(:tenant_id AS TEXT) IS NULL OR d.tenant_id = :tenant_id);

-- name: form_by_key
SELECT form_key, form_id, version, resource_name, checksum, resource, tenant_id
FROM forms WHERE form_key = :key;

-- name: element_statistics
-- Per element of a process definition: how many instances are active (without an open
-- incident), have an open incident, completed, or were terminated. The process itself is left
-- out. This is what a diagram overlay or heat map shows.
SELECT e.element_id,
       SUM(CASE WHEN e.state = 'ACTIVE' AND NOT EXISTS (
                SELECT 1 FROM incidents i
                WHERE i.element_instance_key = e.element_instance_key AND i.state = 'ACTIVE')
           THEN 1 ELSE 0 END) AS active,
       SUM(CASE WHEN e.state = 'ACTIVE' AND EXISTS (
                SELECT 1 FROM incidents i
                WHERE i.element_instance_key = e.element_instance_key AND i.state = 'ACTIVE')
           THEN 1 ELSE 0 END) AS incidents,
       SUM(CASE WHEN e.state = 'COMPLETED' THEN 1 ELSE 0 END) AS completed,
       SUM(CASE WHEN e.state = 'TERMINATED' THEN 1 ELSE 0 END) AS terminated
FROM element_instances e
WHERE e.process_definition_key = :process_definition_key AND e.element_type <> 'PROCESS'
GROUP BY e.element_id
ORDER BY e.element_id;
