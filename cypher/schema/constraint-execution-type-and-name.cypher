// Uniqueness ignores nodes without a name, as ML Metadata does for unnamed artifacts.
CREATE CONSTRAINT execution_type_and_name IF NOT EXISTS FOR (n:Execution) REQUIRE (n.typeId, n.name) IS UNIQUE
