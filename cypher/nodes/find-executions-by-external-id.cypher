UNWIND $externalIds AS externalId
MATCH (n:Execution {externalId: externalId}) USING INDEX SEEK n:Execution(externalId)
RETURN collect(NODE_RECORD) AS nodes
