-- The documented Cadenza store schema, sqlite dialect: what applying every file of
-- migrations/ in order gives (tests/store/test_migrations.py checks it). Read this file to
-- learn the schema; change the schema only by adding a migration, then update this file.

-- Migration bookkeeping: one row per applied migration file.
CREATE TABLE schema_version (
    version INTEGER PRIMARY KEY,  -- number of the applied migration file
    name    TEXT NOT NULL          -- its file name
);

-- The log: one row per record, the source of truth. Rows are never updated nor deleted.
CREATE TABLE records (
    partition_id     INTEGER NOT NULL,
    position         INTEGER NOT NULL,   -- increasing per partition, assigned by the writer
    source_position  INTEGER NOT NULL,   -- position of the command that caused it, -1 for none
    record_key       INTEGER NOT NULL,
    record_type      INTEGER NOT NULL,   -- lifecycle of a command: 1 COMMAND (asked),
                                         -- 2 EVENT (happened), 3 COMMAND_REJECTION (refused)
    value_type       INTEGER NOT NULL,   -- cadenza.kernel.ValueType number (never renumbered)
    intent           TEXT    NOT NULL,   -- Zeebe intent name, e.g. ELEMENT_ACTIVATED
    value            TEXT    NOT NULL,   -- the record value as JSON text
    value_codec      INTEGER NOT NULL,   -- 1: plain JSON; 2: JSON with integers beyond 64 bits or
                                         -- escaped lone surrogates (needs an exact decoder)
    timestamp        INTEGER NOT NULL,   -- ms since the epoch
    rejection_type   INTEGER NOT NULL,   -- cadenza.kernel.RejectionType, 0 unless rejected
    rejection_reason TEXT    NOT NULL,
    record_version   INTEGER NOT NULL,   -- version of the record layout (RECORD_VERSION)
    PRIMARY KEY (partition_id, position)
) WITHOUT ROWID;

-- Snapshots of the kernel state per partition; only the newest is kept.
CREATE TABLE snapshots (
    partition_id   INTEGER NOT NULL,
    position       INTEGER NOT NULL,     -- every record up to this position is in the state
    format_version INTEGER NOT NULL,     -- version of the kernel's state encoding
    state          BLOB    NOT NULL,      -- the kernel state, opaque to the store
    PRIMARY KEY (partition_id, position)
);

-- Partition leases: which node may write a partition, fenced by a token that only grows.
CREATE TABLE partition_leases (
    partition_id   INTEGER PRIMARY KEY,
    node_id        TEXT    NOT NULL,     -- current owner
    fencing_token  INTEGER NOT NULL,     -- incremented at every change of owner; an append
                                         -- carrying a smaller token is refused
    lease_until    INTEGER NOT NULL      -- ms since the epoch; after it another node may acquire
);

-- Read model: query tables projected from EVENT records in the append transaction. Nothing here
-- is needed to execute; it can be rebuilt from the log. Dates are record timestamps (ms).

CREATE TABLE process_definitions (
    process_definition_key INTEGER PRIMARY KEY,
    bpmn_process_id        TEXT    NOT NULL,
    version                INTEGER NOT NULL,
    version_tag            TEXT,
    resource_name          TEXT,
    checksum               TEXT,
    resource               TEXT,
    tenant_id              TEXT,
    deployment_time        INTEGER NOT NULL
);
CREATE INDEX process_definitions_by_id ON process_definitions (bpmn_process_id, version);

CREATE TABLE decision_requirements (
    decision_requirements_key     INTEGER PRIMARY KEY,
    decision_requirements_id      TEXT    NOT NULL,
    decision_requirements_name    TEXT,
    version                       INTEGER NOT NULL,
    namespace                     TEXT,
    resource_name                 TEXT,
    checksum                      TEXT,
    resource                      TEXT,
    tenant_id                     TEXT,
    deployment_time               INTEGER NOT NULL
);
CREATE INDEX decision_requirements_by_id ON decision_requirements (decision_requirements_id);

CREATE TABLE decision_definitions (
    decision_key              INTEGER PRIMARY KEY,
    decision_id               TEXT    NOT NULL,
    decision_name             TEXT,
    version                   INTEGER NOT NULL,
    decision_requirements_id  TEXT,
    decision_requirements_key INTEGER,
    tenant_id                 TEXT,
    deployment_time           INTEGER NOT NULL
);
CREATE INDEX decision_definitions_by_id ON decision_definitions (decision_id, version);

CREATE TABLE process_instances (
    process_instance_key        INTEGER PRIMARY KEY,
    bpmn_process_id             TEXT,
    version                     INTEGER,
    process_definition_key      INTEGER,
    state                       TEXT    NOT NULL, -- ACTIVE (from ELEMENT_ACTIVATING) ->
                                                  -- COMPLETED (ELEMENT_COMPLETED) or
                                                  -- CANCELED (ELEMENT_TERMINATED); the incident
                                                  -- flag is derived from open incidents
    start_date                  INTEGER NOT NULL,
    end_date                    INTEGER,          -- set when state leaves ACTIVE
    parent_process_instance_key INTEGER,          -- set for instances created by a call activity
    parent_element_instance_key INTEGER,
    tenant_id                   TEXT
);
CREATE INDEX process_instances_by_start ON process_instances (start_date);
-- Migration 0003 dropped the other indexes of process_instances, element_instances (but
-- element_instances_by_element), variables and jobs: every projected row paid for them and no
-- query needed them (the searches' filters are planned as scans).

CREATE TABLE element_instances (
    element_instance_key   INTEGER PRIMARY KEY,
    process_instance_key   INTEGER NOT NULL,
    process_definition_key INTEGER,
    bpmn_process_id        TEXT,
    element_id             TEXT    NOT NULL,
    element_type           TEXT    NOT NULL,   -- bpmnElementType, e.g. SERVICE_TASK
    flow_scope_key         INTEGER,
    state                  TEXT    NOT NULL,   -- ACTIVE (ELEMENT_ACTIVATING) -> COMPLETED
                                               -- (ELEMENT_COMPLETED) or TERMINATED
                                               -- (ELEMENT_TERMINATED)
    start_date             INTEGER NOT NULL,
    end_date               INTEGER,            -- set when state leaves ACTIVE
    tenant_id              TEXT
);
CREATE INDEX element_instances_by_element ON element_instances (process_definition_key, element_id, state);
CREATE INDEX element_instances_by_instance ON element_instances (process_instance_key);  -- 0004

CREATE TABLE variables (
    variable_key           INTEGER PRIMARY KEY,
    name                   TEXT    NOT NULL,
    value                  TEXT    NOT NULL,   -- JSON text, as in the VARIABLE record
    scope_key              INTEGER NOT NULL,
    process_instance_key   INTEGER NOT NULL,
    process_definition_key INTEGER,
    bpmn_process_id        TEXT,
    tenant_id              TEXT
);
CREATE INDEX variables_by_instance ON variables (process_instance_key);  -- 0004
CREATE INDEX variables_by_scope ON variables (scope_key);                -- 0004

CREATE TABLE incidents (
    incident_key           INTEGER PRIMARY KEY,
    error_type             TEXT,
    error_message          TEXT,
    bpmn_process_id        TEXT,
    process_definition_key INTEGER,
    process_instance_key   INTEGER,
    element_id             TEXT,
    element_instance_key   INTEGER,
    job_key                INTEGER,            -- NULL when the incident is not about a job
    variable_scope_key     INTEGER,
    state                  TEXT    NOT NULL,   -- ACTIVE (CREATED) -> RESOLVED (RESOLVED)
    creation_time          INTEGER NOT NULL,
    resolution_time        INTEGER,            -- set with state RESOLVED
    tenant_id              TEXT
);
CREATE INDEX incidents_by_instance ON incidents (process_instance_key, state);
CREATE INDEX incidents_by_element_instance ON incidents (element_instance_key, state);
CREATE INDEX incidents_by_state ON incidents (state, creation_time);

CREATE TABLE jobs (
    job_key                    INTEGER PRIMARY KEY,
    type                       TEXT,
    worker                     TEXT,              -- '' until activated
    state                      TEXT    NOT NULL,  -- CREATED -> ACTIVATED (JOB_BATCH ACTIVATED)
                                                  -- -> COMPLETED | FAILED | TIMED_OUT |
                                                  -- ERROR_THROWN | CANCELED; FAILED/TIMED_OUT
                                                  -- -> ACTIVATED again; RETRIES_UPDATED is a
                                                  -- state of its own as in Zeebe's exports;
                                                  -- TIMEOUT_UPDATED and RECURRED_AFTER_BACKOFF
                                                  -- keep the state
    retries                    INTEGER,
    retry_backoff              INTEGER,
    deadline                   INTEGER,           -- ms since the epoch, -1 when not activated
    timeout                    INTEGER,
    error_message              TEXT,
    error_code                 TEXT,
    custom_headers             TEXT,              -- JSON object
    element_id                 TEXT,
    element_instance_key       INTEGER,
    process_instance_key       INTEGER,
    process_definition_key     INTEGER,
    bpmn_process_id            TEXT,
    process_definition_version INTEGER,
    tenant_id                  TEXT,
    creation_time              INTEGER NOT NULL,
    last_update_time           INTEGER NOT NULL
);

CREATE TABLE user_tasks (
    user_task_key              INTEGER PRIMARY KEY,
    element_id                 TEXT,
    name                       TEXT,
    assignee                   TEXT,              -- '' when unassigned
    candidate_users            TEXT,              -- JSON array of strings
    candidate_groups           TEXT,              -- JSON array of strings
    state                      TEXT    NOT NULL,  -- CREATED -> COMPLETED | CANCELED; ASSIGNED
                                                  -- and UPDATED keep the state
    due_date                   TEXT,              -- ISO 8601 date-time, '' when none
    follow_up_date             TEXT,              -- ISO 8601 date-time, '' when none
    form_key                   INTEGER,
    external_form_reference    TEXT,
    priority                   INTEGER,
    custom_headers             TEXT,              -- JSON object
    element_instance_key       INTEGER,
    process_instance_key       INTEGER,
    process_definition_key     INTEGER,
    bpmn_process_id            TEXT,
    process_definition_version INTEGER,
    tenant_id                  TEXT,
    creation_date              INTEGER NOT NULL,
    completion_date            INTEGER            -- set with state COMPLETED or CANCELED
);
CREATE INDEX user_tasks_by_state ON user_tasks (state, creation_date);
CREATE INDEX user_tasks_by_assignee ON user_tasks (assignee, state);
CREATE INDEX user_tasks_by_instance ON user_tasks (process_instance_key);

CREATE TABLE decision_instances (
    decision_evaluation_key    INTEGER PRIMARY KEY,
    state                      TEXT    NOT NULL,  -- EVALUATED or FAILED, final at insertion
    evaluation_date            INTEGER NOT NULL,
    decision_key               INTEGER,
    decision_id                TEXT,
    decision_name              TEXT,
    decision_version           INTEGER,
    decision_requirements_key  INTEGER,
    decision_output            TEXT,              -- JSON text
    evaluated_decisions        TEXT,              -- JSON array, as in the record
    evaluation_failure_message TEXT,
    failed_decision_id         TEXT,
    process_instance_key       INTEGER,
    element_instance_key       INTEGER,
    element_id                 TEXT,
    process_definition_key     INTEGER,
    bpmn_process_id            TEXT,
    tenant_id                  TEXT
);
CREATE INDEX decision_instances_by_decision ON decision_instances (decision_id, evaluation_date);
CREATE INDEX decision_instances_by_instance ON decision_instances (process_instance_key);

-- Deployed forms (FORM CREATED), which user tasks link by formKey (migration 0002).
CREATE TABLE forms (
    form_key        INTEGER PRIMARY KEY,
    form_id         TEXT    NOT NULL,
    version         INTEGER NOT NULL,
    resource_name   TEXT,
    checksum        TEXT,
    resource        TEXT,              -- the form's JSON schema, as deployed
    tenant_id       TEXT,
    deployment_time INTEGER NOT NULL
);
CREATE INDEX forms_by_id ON forms (form_id, version);
