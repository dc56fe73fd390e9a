// Replaces every stored field: a field the row leaves null is removed.
UNWIND $rows AS row
MATCH (t:Type {id: row.id}) USING INDEX SEEK t:Type(id)
SET t = row
