// Uniqueness ignores nodes without a name, as ML Metadata does for unnamed artifacts.
CREATE CONSTRAINT context_type_and_name IF NOT EXISTS FOR (n:Context) REQUIRE (n.typeId, n.name) IS UNIQUE
