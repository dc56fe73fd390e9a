// The schema version the database is at (src/graph/neo4j/migrations/); null before any migration stamped one.
OPTIONAL MATCH (v:SchemaVersion {key: 'schema'})
RETURN v.version AS version
