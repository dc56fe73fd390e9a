// Each node as it stood at $asOf: the earliest record replaced after $asOf (one seek on
// the node_history index), else the node as it is; no row for a node created after $asOf.
UNWIND $ids AS id
MATCH (n:Node {id: id}) USING INDEX SEEK n:Node(id)
WHERE n.createTime <= $asOf
CALL (n) {
  OPTIONAL MATCH (h:NodeHistory {id: n.id}) USING INDEX SEEK h:NodeHistory(id)
  WHERE h.validTo > $asOf
  WITH h ORDER BY h.validTo, h.seq LIMIT 1
  RETURN h
}
WITH n, coalesce(h, n) AS r
RETURN collect(HISTORY_RECORD) AS nodes
