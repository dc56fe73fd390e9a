UNWIND $externalIds AS externalId
MATCH (n:Execution {externalId: externalId}) USING INDEX SEEK n:Execution(externalId)
RETURN labels(n) AS labels, properties(n) AS fields
