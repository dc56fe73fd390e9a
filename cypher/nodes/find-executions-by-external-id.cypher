UNWIND $externalIds AS externalId
MATCH (n:Execution {externalId: externalId})
RETURN labels(n) AS labels, properties(n) AS fields
