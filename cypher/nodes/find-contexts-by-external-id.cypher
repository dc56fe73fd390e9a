UNWIND $externalIds AS externalId
MATCH (n:Context {externalId: externalId})
RETURN labels(n) AS labels, properties(n) AS fields
