// One label over artifacts, executions and contexts, so a lookup by id (any kind, as the
// lineage walk and getNodes need) is one unique-index seek.
CREATE CONSTRAINT node_id IF NOT EXISTS FOR (n:Node) REQUIRE n.id IS UNIQUE
