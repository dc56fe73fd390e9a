// Migration 5: a counter per kind of node, each past the shared counter of migration 3 and
// past every node's id, so no id is handed out twice; nodes keep the ids they have. A
// counter already further on is kept (a re-run after a crash changes nothing).
OPTIONAL MATCH (shared:MlmdIdCounter {space: 'node'})
WITH coalesce(shared.next, 1) - 1 AS handedOut
OPTIONAL MATCH (n:Node)
WITH handedOut, coalesce(max(n.mlmdId), 0) AS highest
WITH CASE WHEN handedOut > highest THEN handedOut ELSE highest END AS base
UNWIND ['artifact', 'execution', 'context'] AS space
MERGE (c:MlmdIdCounter {space: space})
SET c.next = CASE WHEN c.next IS NULL OR c.next <= base THEN base + 1 ELSE c.next END
