// New context links of every kind in one statement; a link that exists is skipped. Each
// kind answers the positions of the rows it created (integers, not keys: fewer values to
// decode), so each caller counts its own. Any list may be empty.
CALL () {
  UNWIND range(0, size($attributions) - 1) AS i
  WITH i, $attributions[i] AS link
  MATCH (c:Node:Context {id: link.contextId}) USING INDEX SEEK c:Node(id)
  MATCH (a:Node:Artifact {id: link.artifactId}) USING INDEX SEEK a:Node(id)
  WHERE NOT EXISTS { (c)-[:ATTRIBUTION]->(a) }
  CREATE (c)-[:ATTRIBUTION {key: link.key}]->(a)
  RETURN collect(i) AS attributions
}
CALL () {
  UNWIND range(0, size($associations) - 1) AS i
  WITH i, $associations[i] AS link
  MATCH (c:Node:Context {id: link.contextId}) USING INDEX SEEK c:Node(id)
  MATCH (x:Node:Execution {id: link.executionId}) USING INDEX SEEK x:Node(id)
  WHERE NOT EXISTS { (c)-[:ASSOCIATION]->(x) }
  CREATE (c)-[:ASSOCIATION {key: link.key}]->(x)
  RETURN collect(i) AS associations
}
CALL () {
  UNWIND range(0, size($parentContexts) - 1) AS i
  WITH i, $parentContexts[i] AS link
  MATCH (parent:Node:Context {id: link.parentId}) USING INDEX SEEK parent:Node(id)
  MATCH (child:Node:Context {id: link.childId}) USING INDEX SEEK child:Node(id)
  WHERE NOT EXISTS { (parent)-[:PARENT_CONTEXT]->(child) }
  CREATE (parent)-[:PARENT_CONTEXT {key: link.key}]->(child)
  RETURN collect(i) AS parentContexts
}
RETURN attributions, associations, parentContexts
