UNWIND $externalIds AS externalId
MATCH (n:Artifact {externalId: externalId}) USING INDEX SEEK n:Artifact(externalId)
RETURN collect(NODE_RECORD) AS nodes
