// Artifacts with a declaration of their own, and every artifact of a type that declares a
// default; $afterId is '' (below every id) for the first page.
CALL {
  MATCH (n:Artifact) USING INDEX n:Artifact(personalData)
  WHERE n.personalData IS NOT NULL
  RETURN n.id AS id
  UNION
  UNWIND $typeIds AS typeId
  MATCH (n:Artifact {typeId: typeId}) USING INDEX SEEK n:Artifact(typeId)
  RETURN n.id AS id
}
WITH id
WHERE id > $afterId
RETURN id
ORDER BY id
LIMIT $limit
