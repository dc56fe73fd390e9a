UNWIND $mlmdIds AS mlmdId
MATCH (n:Node {mlmdId: mlmdId}) USING INDEX SEEK n:Node(mlmdId)
RETURN labels(n) AS labels, properties(n) AS fields
