// Each node's replaced records in order (by validTo, then seq), each as [validTo, record],
// and its current record.
UNWIND $ids AS id
MATCH (n:Node {id: id}) USING INDEX SEEK n:Node(id)
CALL (n) {
  OPTIONAL MATCH (h:NodeHistory {id: n.id}) USING INDEX SEEK h:NodeHistory(id)
  WITH h AS r ORDER BY r.validTo, r.seq
  RETURN collect(CASE WHEN r IS NULL THEN null ELSE [r.validTo, HISTORY_RECORD] END) AS replaced
}
WITH n, n AS r, replaced
RETURN n.id AS id, HISTORY_RECORD AS current, replaced
