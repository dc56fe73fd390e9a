UNWIND $externalIds AS externalId
MATCH (n:Artifact {externalId: externalId}) USING INDEX SEEK n:Artifact(externalId)
RETURN labels(n) AS labels, properties(n) AS fields
