// Contexts by mlmdId (unique within the kind); one row, the records in a list (nodes/record.cypher).
UNWIND $mlmdIds AS mlmdId
MATCH (n:Context {mlmdId: mlmdId}) USING INDEX SEEK n:Context(mlmdId)
RETURN collect(NODE_RECORD) AS nodes
