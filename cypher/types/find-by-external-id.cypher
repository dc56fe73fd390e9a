UNWIND $externalIds AS externalId
MATCH (t:Type {kind: $kind, externalId: externalId}) USING INDEX SEEK t:Type(kind, externalId)
RETURN properties(t) AS fields
