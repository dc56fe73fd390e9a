// ML Metadata's int64 id of a type: its own space, one unique-index seek per lookup.
CREATE CONSTRAINT type_mlmd_id IF NOT EXISTS FOR (t:Type) REQUIRE t.mlmdId IS UNIQUE
