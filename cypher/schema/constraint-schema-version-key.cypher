// One version node (src/graph/neo4j/migrations/): two processes migrating at once MERGE the same one.
CREATE CONSTRAINT schema_version_key IF NOT EXISTS FOR (v:SchemaVersion) REQUIRE v.key IS UNIQUE
