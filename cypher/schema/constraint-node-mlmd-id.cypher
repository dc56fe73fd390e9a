// ML Metadata's int64 id: one space over artifacts, executions and contexts, like `id`, so a
// lookup by mlmdId of any kind is one unique-index seek and no two nodes ever share one.
CREATE CONSTRAINT node_mlmd_id IF NOT EXISTS FOR (n:Node) REQUIRE n.mlmdId IS UNIQUE
