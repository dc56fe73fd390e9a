// Any kind of node by mlmdId; one row, the records in a list (nodes/record.cypher).
UNWIND $mlmdIds AS mlmdId
MATCH (n:Node {mlmdId: mlmdId}) USING INDEX SEEK n:Node(mlmdId)
RETURN collect(NODE_RECORD) AS nodes
