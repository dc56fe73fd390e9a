// Stamps the version a migration reached. Only forward: a slower process finishing an
// older step must not lower what a faster one stamped.
MERGE (v:SchemaVersion {key: 'schema'})
SET v.version = CASE WHEN v.version IS NULL OR v.version < $version THEN $version ELSE v.version END
