-- PostgreSQL column-array forms of the busiest projection statements: one statement per batch
-- instead of one per row. Each parameter is the list of one column's values (in the order of
-- the row form in ../projection.sql); the projector has merged the rows of a key, so no row is
-- touched twice by one statement, which ON CONFLICT DO UPDATE requires.

-- name: project_process_instance_unnest
INSERT INTO process_instances (
    process_instance_key, bpmn_process_id, version, process_definition_key, state, start_date,
    end_date, parent_process_instance_key, parent_element_instance_key, tenant_id
)
SELECT * FROM unnest(
    CAST(? AS BIGINT[]), CAST(? AS TEXT[]), CAST(? AS BIGINT[]), CAST(? AS BIGINT[]),
    CAST(? AS TEXT[]), CAST(? AS BIGINT[]), CAST(? AS BIGINT[]), CAST(? AS BIGINT[]),
    CAST(? AS BIGINT[]), CAST(? AS TEXT[])
)
ON CONFLICT (process_instance_key) DO UPDATE SET
    state = excluded.state,
    end_date = COALESCE(excluded.end_date, process_instances.end_date);

-- name: project_element_instance_unnest
INSERT INTO element_instances (
    element_instance_key, process_instance_key, process_definition_key, bpmn_process_id,
    element_id, element_type, flow_scope_key, state, start_date, end_date, tenant_id
)
SELECT * FROM unnest(
    CAST(? AS BIGINT[]), CAST(? AS BIGINT[]), CAST(? AS BIGINT[]), CAST(? AS TEXT[]),
    CAST(? AS TEXT[]), CAST(? AS TEXT[]), CAST(? AS BIGINT[]), CAST(? AS TEXT[]),
    CAST(? AS BIGINT[]), CAST(? AS BIGINT[]), CAST(? AS TEXT[])
)
ON CONFLICT (element_instance_key) DO UPDATE SET
    state = excluded.state,
    end_date = COALESCE(excluded.end_date, element_instances.end_date);

-- name: project_variable_unnest
INSERT INTO variables (
    variable_key, name, value, scope_key, process_instance_key, process_definition_key,
    bpmn_process_id, tenant_id
)
SELECT * FROM unnest(
    CAST(? AS BIGINT[]), CAST(? AS TEXT[]), CAST(? AS TEXT[]), CAST(? AS BIGINT[]),
    CAST(? AS BIGINT[]), CAST(? AS BIGINT[]), CAST(? AS TEXT[]), CAST(? AS TEXT[])
)
ON CONFLICT (variable_key) DO UPDATE SET
    value = excluded.value;

-- name: project_incident_unnest
INSERT INTO incidents (
    incident_key, error_type, error_message, bpmn_process_id, process_definition_key,
    process_instance_key, element_id, element_instance_key, job_key, variable_scope_key, state,
    creation_time, resolution_time, tenant_id
)
SELECT * FROM unnest(
    CAST(? AS BIGINT[]), CAST(? AS TEXT[]), CAST(? AS TEXT[]), CAST(? AS TEXT[]),
    CAST(? AS BIGINT[]), CAST(? AS BIGINT[]), CAST(? AS TEXT[]), CAST(? AS BIGINT[]),
    CAST(? AS BIGINT[]), CAST(? AS BIGINT[]), CAST(? AS TEXT[]), CAST(? AS BIGINT[]),
    CAST(? AS BIGINT[]), CAST(? AS TEXT[])
)
ON CONFLICT (incident_key) DO UPDATE SET
    state = excluded.state,
    resolution_time = COALESCE(excluded.resolution_time, incidents.resolution_time);
