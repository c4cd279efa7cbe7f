-- Cadenza store, postgres dialect, migration 0004: the SQLite dialect adds back the indexes of
-- instance lookups here; PostgreSQL kept its indexes in 0003, so this migration changes nothing
-- and exists so both dialects keep the same numbering.

SELECT 1;
