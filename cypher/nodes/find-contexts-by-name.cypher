UNWIND $keys AS key
MATCH (n:Context {typeId: key.typeId, name: key.name})
RETURN labels(n) AS labels, properties(n) AS fields
