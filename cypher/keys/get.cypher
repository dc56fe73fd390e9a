UNWIND $ids AS id
MATCH (k:ApiKey {id: id}) USING INDEX SEEK k:ApiKey(id)
RETURN properties(k) AS fields
