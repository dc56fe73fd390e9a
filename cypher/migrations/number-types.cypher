// Migration 3: every type without an mlmdId gets one, in creation order (ids are UUIDv7,
// which sort by creation time), after the largest one given so far. See number-nodes.cypher.
OPTIONAL MATCH (numbered:Type) WHERE numbered.mlmdId IS NOT NULL
WITH max(numbered.mlmdId) AS last
OPTIONAL MATCH (counter:MlmdIdCounter {space: 'type'})
WITH CASE WHEN counter.next - 1 > coalesce(last, 0) THEN counter.next - 1 ELSE coalesce(last, 0) END AS base
MATCH (t:Type) WHERE t.mlmdId IS NULL
WITH base, t ORDER BY t.id
WITH base, collect(t) AS types
UNWIND range(0, size(types) - 1) AS i
WITH types[i] AS t, base + i + 1 AS mlmdId
CALL (t, mlmdId) { SET t.mlmdId = mlmdId } IN TRANSACTIONS OF 10000 ROWS
