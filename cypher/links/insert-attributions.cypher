// The caller sends each link once; only links missing from the graph are created and counted.
UNWIND $links AS link
MATCH (c:Node:Context {id: link.contextId})
MATCH (a:Node:Artifact {id: link.artifactId})
WHERE NOT EXISTS { (c)-[:ATTRIBUTION]->(a) }
CREATE (c)-[:ATTRIBUTION {key: link.key}]->(a)
RETURN count(*) AS created
