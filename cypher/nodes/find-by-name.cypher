// Nodes by (type, name), every kind in one statement: the service looks the three kinds up
// at once. Each part seeks its label's (typeId, name) index and answers one row of
// records (nodes/record.cypher); a part given no keys answers an empty list.
UNWIND $artifactKeys AS key
MATCH (n:Artifact {typeId: key.typeId, name: key.name}) USING INDEX SEEK n:Artifact(typeId, name)
RETURN collect(NODE_RECORD) AS nodes
UNION ALL
UNWIND $executionKeys AS key
MATCH (n:Execution {typeId: key.typeId, name: key.name}) USING INDEX SEEK n:Execution(typeId, name)
RETURN collect(NODE_RECORD) AS nodes
UNION ALL
UNWIND $contextKeys AS key
MATCH (n:Context {typeId: key.typeId, name: key.name}) USING INDEX SEEK n:Context(typeId, name)
RETURN collect(NODE_RECORD) AS nodes
