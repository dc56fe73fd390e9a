// ML Metadata's int64 id, unique within the kind (one space per kind since migration 5, as
// ML Metadata's tables): a lookup by mlmdId of a context is one unique-index seek.
CREATE CONSTRAINT context_mlmd_id IF NOT EXISTS FOR (n:Context) REQUIRE n.mlmdId IS UNIQUE
