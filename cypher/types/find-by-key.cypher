UNWIND $typeKeys AS typeKey
MATCH (t:Type {typeKey: typeKey}) USING INDEX SEEK t:Type(typeKey)
RETURN properties(t) AS fields
