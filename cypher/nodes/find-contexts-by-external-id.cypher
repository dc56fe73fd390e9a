UNWIND $externalIds AS externalId
MATCH (n:Context {externalId: externalId}) USING INDEX SEEK n:Context(externalId)
RETURN labels(n) AS labels, properties(n) AS fields
