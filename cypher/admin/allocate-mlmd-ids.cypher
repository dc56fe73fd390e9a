// A block of $count fresh ids of $space (artifact, execution, context or type), first ones
// from 1. Run in a short transaction of its own (neo4j-mlmd-ids.ts), never inside a write:
// the counter's lock is held only while the block is taken, and a rolled-back write never
// hands ids back.
MERGE (c:MlmdIdCounter {space: $space})
ON CREATE SET c.next = 1
SET c.next = c.next + $count
RETURN c.next - $count AS first
