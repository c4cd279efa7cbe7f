-- Cadenza store, postgres dialect, migration 0002: deployed forms (FORM CREATED), which user tasks
-- link by formKey.

CREATE TABLE forms (
    form_key        BIGINT  PRIMARY KEY,
    form_id         TEXT    NOT NULL,
    version         BIGINT  NOT NULL,
    resource_name   TEXT,
    checksum        TEXT,
    resource        TEXT,              -- the form's JSON schema, as deployed
    tenant_id       TEXT,
    deployment_time BIGINT  NOT NULL
);
CREATE INDEX forms_by_id ON forms (form_id, version);
