UNWIND $ids AS id
MATCH (t:Type {id: id})
RETURN properties(t) AS fields
