// One node per named lock (links/lock-parent-contexts.cypher): processes taking a lock at
// once MERGE the same node, and the second waits on the first's write lock.
CREATE CONSTRAINT store_lock_name IF NOT EXISTS FOR (l:StoreLock) REQUIRE l.name IS UNIQUE
