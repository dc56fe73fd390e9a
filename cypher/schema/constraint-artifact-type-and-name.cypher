// Uniqueness ignores nodes without a name, as ML Metadata does for unnamed artifacts.
CREATE CONSTRAINT artifact_type_and_name IF NOT EXISTS FOR (n:Artifact) REQUIRE (n.typeId, n.name) IS UNIQUE
