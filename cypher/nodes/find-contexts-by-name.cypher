UNWIND $keys AS key
MATCH (n:Context {typeId: key.typeId, name: key.name}) USING INDEX SEEK n:Context(typeId, name)
RETURN collect(NODE_RECORD) AS nodes
