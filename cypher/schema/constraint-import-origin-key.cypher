// An importer asks for every page of source ids which were imported: one unique-index seek each.
CREATE CONSTRAINT import_origin_key IF NOT EXISTS FOR (o:ImportOrigin) REQUIRE o.key IS UNIQUE
