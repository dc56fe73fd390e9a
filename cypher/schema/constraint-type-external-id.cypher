CREATE CONSTRAINT type_external_id IF NOT EXISTS FOR (t:Type) REQUIRE (t.kind, t.externalId) IS UNIQUE
