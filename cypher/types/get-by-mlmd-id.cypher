UNWIND $mlmdIds AS mlmdId
MATCH (t:Type {mlmdId: mlmdId}) USING INDEX SEEK t:Type(mlmdId)
RETURN properties(t) AS fields
