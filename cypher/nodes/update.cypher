// Replaces every stored field (a property the row lacks is removed), except mlmdId, typeId
// and createTime, which never change: the stored ones are kept whatever the row says.
UNWIND $rows AS row
MATCH (n:Node {id: row.id}) USING INDEX SEEK n:Node(id)
WITH n, row, n.mlmdId AS mlmdId, n.typeId AS typeId, n.createTime AS createTime
SET n = row
SET n.mlmdId = mlmdId, n.typeId = typeId, n.createTime = createTime
