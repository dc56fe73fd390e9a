// Artifacts by mlmdId (unique within the kind); one row, the records in a list (nodes/record.cypher).
UNWIND $mlmdIds AS mlmdId
MATCH (n:Artifact {mlmdId: mlmdId}) USING INDEX SEEK n:Artifact(mlmdId)
RETURN collect(NODE_RECORD) AS nodes
