UNWIND $ids AS id
MATCH (t:Type {id: id}) USING INDEX SEEK t:Type(id)
RETURN properties(t) AS fields
