UNWIND $keys AS key
MATCH (n:Execution {typeId: key.typeId, name: key.name}) USING INDEX SEEK n:Execution(typeId, name)
RETURN collect(NODE_RECORD) AS nodes
