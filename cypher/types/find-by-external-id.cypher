UNWIND $externalIds AS externalId
MATCH (t:Type {kind: $kind, externalId: externalId})
RETURN properties(t) AS fields
