// For ids a trusted caller gives (the ML Metadata importer), inside its write: the highest
// id $space had handed out (0 for none), and its counter moved past $highest, so no block
// taken later (allocate-mlmd-ids.cypher, any process) holds a given id. The first SET takes
// the counter's write lock before the value is read, and the lock is held until the write
// ends: a block taken meanwhile waits, and then starts past the given ids.
MERGE (c:MlmdIdCounter {space: $space})
ON CREATE SET c.next = 1
SET c.next = c.next
WITH c, c.next - 1 AS handedOut
SET c.next = CASE WHEN c.next > $highest THEN c.next ELSE $highest + 1 END
RETURN handedOut
