UNWIND $keys AS key
MATCH (n:Execution {typeId: key.typeId, name: key.name}) USING INDEX SEEK n:Execution(typeId, name)
RETURN labels(n) AS labels, properties(n) AS fields
