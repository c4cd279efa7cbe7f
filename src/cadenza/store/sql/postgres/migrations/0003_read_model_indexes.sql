-- Cadenza store, postgres dialect, migration 0003: the SQLite dialect drops indexes of its busiest
-- read-model tables here, which its query planner never uses for the searches' filters.
-- PostgreSQL plans those filters with the bound values (custom plans), so its indexes serve the
-- searches and stay: this migration changes nothing and exists so both dialects keep the same
-- numbering.

SELECT 1;
