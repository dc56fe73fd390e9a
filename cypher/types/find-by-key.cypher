UNWIND $typeKeys AS typeKey
MATCH (t:Type {typeKey: typeKey})
RETURN properties(t) AS fields
