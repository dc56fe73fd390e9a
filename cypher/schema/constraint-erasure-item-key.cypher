// key encodes (request, artifact): a request lists an artifact once.
CREATE CONSTRAINT erasure_item_key IF NOT EXISTS FOR (i:ErasureItem) REQUIRE i.key IS UNIQUE
