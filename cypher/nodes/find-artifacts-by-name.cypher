UNWIND $keys AS key
MATCH (n:Artifact {typeId: key.typeId, name: key.name}) USING INDEX SEEK n:Artifact(typeId, name)
RETURN collect(NODE_RECORD) AS nodes
