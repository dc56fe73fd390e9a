// One counter node per id space (admin/allocate-mlmd-ids.cypher): processes allocating at
// once MERGE the same one, and the second waits on the first's lock.
CREATE CONSTRAINT mlmd_id_counter_space IF NOT EXISTS FOR (c:MlmdIdCounter) REQUIRE c.space IS UNIQUE
