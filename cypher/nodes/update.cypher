// Replaces every stored field (a property the row lacks is removed), except mlmdId, typeId
// and createTime, which never change: the stored ones are kept whatever the row says.
// The record it replaces is kept first as a (:NodeHistory) node (src/graph/history-store.ts):
// a copy of the node's properties with validTo, the update's time, and seq, its place in
// the node's history. Setting historyLock takes the node's write lock before anything is
// read, so a concurrent update of the node waits here and then copies the record the
// other committed: each update keeps the record it replaced, none is lost.
UNWIND $rows AS row
MATCH (n:Node {id: row.id}) USING INDEX SEEK n:Node(id)
SET n.historyLock = true
WITH n, row, COUNT { (:NodeHistory {id: row.id}) } AS seq
CREATE (h:NodeHistory)
SET h = properties(n), h.validTo = row.updateTime, h.seq = seq
REMOVE h.historyLock
WITH n, row, n.mlmdId AS mlmdId, n.typeId AS typeId, n.createTime AS createTime
SET n = row
SET n.mlmdId = mlmdId, n.typeId = typeId, n.createTime = createTime
