UNWIND $externalIds AS externalId
MATCH (n:Context {externalId: externalId}) USING INDEX SEEK n:Context(externalId)
RETURN collect(NODE_RECORD) AS nodes
