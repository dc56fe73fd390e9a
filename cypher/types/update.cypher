// Replaces every stored field: a field the row leaves null is removed. The mlmdId never
// changes: the stored one is kept whatever the row says.
UNWIND $rows AS row
MATCH (t:Type {id: row.id}) USING INDEX SEEK t:Type(id)
WITH t, row, t.mlmdId AS mlmdId
SET t = row
SET t.mlmdId = mlmdId
