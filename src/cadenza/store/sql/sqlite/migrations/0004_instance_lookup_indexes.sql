-- Cadenza store, sqlite dialect, migration 0004: the searches now resolve their optional
-- filters before planning (only the conditions of the fields that are set stay in the query),
-- so an index can serve a filter. Looking at one process instance (its element instances and
-- variables) and at one scope's variables is the commonest search; these indexes serve it, at
-- the cost of one index entry per projected element instance and variable.

CREATE INDEX element_instances_by_instance ON element_instances (process_instance_key);
CREATE INDEX variables_by_instance ON variables (process_instance_key);
CREATE INDEX variables_by_scope ON variables (scope_key);
