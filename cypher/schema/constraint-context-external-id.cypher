CREATE CONSTRAINT context_external_id IF NOT EXISTS FOR (n:Context) REQUIRE n.externalId IS UNIQUE
