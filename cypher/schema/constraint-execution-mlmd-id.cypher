// ML Metadata's int64 id, unique within the kind (one space per kind since migration 5, as
// ML Metadata's tables): a lookup by mlmdId of a execution is one unique-index seek.
CREATE CONSTRAINT execution_mlmd_id IF NOT EXISTS FOR (n:Execution) REQUIRE n.mlmdId IS UNIQUE
