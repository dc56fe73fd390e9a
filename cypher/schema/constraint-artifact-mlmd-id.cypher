// ML Metadata's int64 id, unique within the kind (one space per kind since migration 5, as
// ML Metadata's tables): a lookup by mlmdId of a artifact is one unique-index seek.
CREATE CONSTRAINT artifact_mlmd_id IF NOT EXISTS FOR (n:Artifact) REQUIRE n.mlmdId IS UNIQUE
