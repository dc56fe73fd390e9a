CREATE CONSTRAINT artifact_external_id IF NOT EXISTS FOR (n:Artifact) REQUIRE n.externalId IS UNIQUE
