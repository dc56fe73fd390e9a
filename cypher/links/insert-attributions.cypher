// The caller sends each link once; only links missing from the graph are created and counted.
UNWIND $links AS link
MATCH (c:Node:Context {id: link.contextId}) USING INDEX SEEK c:Node(id)
MATCH (a:Node:Artifact {id: link.artifactId}) USING INDEX SEEK a:Node(id)
WHERE NOT EXISTS { (c)-[:ATTRIBUTION]->(a) }
CREATE (c)-[:ATTRIBUTION {key: link.key}]->(a)
RETURN count(*) AS created
