// Migration 3: every node without an mlmdId gets one, in creation order (createTime, then
// id), after the largest one given so far (a re-run after a crash continues the numbering;
// two processes migrating at once compute the same numbers). Auto-commit, a transaction per
// 10,000 nodes, so a million-node database is not one huge transaction.
OPTIONAL MATCH (numbered:Node) WHERE numbered.mlmdId IS NOT NULL
WITH max(numbered.mlmdId) AS last
OPTIONAL MATCH (counter:MlmdIdCounter {space: 'node'})
WITH CASE WHEN counter.next - 1 > coalesce(last, 0) THEN counter.next - 1 ELSE coalesce(last, 0) END AS base
MATCH (n:Node) WHERE n.mlmdId IS NULL
WITH base, n ORDER BY n.createTime, n.id
WITH base, collect(n) AS nodes
UNWIND range(0, size(nodes) - 1) AS i
WITH nodes[i] AS n, base + i + 1 AS mlmdId
CALL (n, mlmdId) { SET n.mlmdId = mlmdId } IN TRANSACTIONS OF 10000 ROWS
