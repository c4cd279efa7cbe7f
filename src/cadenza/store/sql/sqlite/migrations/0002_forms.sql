-- Cadenza store, sqlite dialect, migration 0002: deployed forms (FORM CREATED), which user tasks
-- link by formKey.

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
