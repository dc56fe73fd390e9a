// `version IS NOT NULL` first puts the unversioned type (false) before the versioned ones.
MATCH (t:Type {kind: $kind}) USING INDEX SEEK t:Type(kind)
RETURN properties(t) AS fields
ORDER BY t.name, t.version IS NOT NULL, t.version
