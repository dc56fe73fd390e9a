// Migration 3: each space's counter past the largest id given, so allocation never hands
// out a number a node or type already holds; a counter already further on is kept.
OPTIONAL MATCH (n:Node) WITH max(n.mlmdId) AS lastNode
OPTIONAL MATCH (t:Type) WITH lastNode, max(t.mlmdId) AS lastType
UNWIND [['node', coalesce(lastNode, 0)], ['type', coalesce(lastType, 0)]] AS space
MERGE (c:MlmdIdCounter {space: space[0]})
SET c.next = CASE WHEN c.next IS NULL OR c.next <= space[1] THEN space[1] + 1 ELSE c.next END
