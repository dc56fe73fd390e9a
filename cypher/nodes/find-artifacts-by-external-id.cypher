UNWIND $externalIds AS externalId
MATCH (n:Artifact {externalId: externalId})
RETURN labels(n) AS labels, properties(n) AS fields
