// Executions by mlmdId (unique within the kind); one row, the records in a list (nodes/record.cypher).
UNWIND $mlmdIds AS mlmdId
MATCH (n:Execution {mlmdId: mlmdId}) USING INDEX SEEK n:Execution(mlmdId)
RETURN collect(NODE_RECORD) AS nodes
