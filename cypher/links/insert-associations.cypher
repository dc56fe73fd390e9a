// The caller sends each link once; only links missing from the graph are created and counted.
UNWIND $links AS link
MATCH (c:Node:Context {id: link.contextId}) USING INDEX SEEK c:Node(id)
MATCH (x:Node:Execution {id: link.executionId}) USING INDEX SEEK x:Node(id)
WHERE NOT EXISTS { (c)-[:ASSOCIATION]->(x) }
CREATE (c)-[:ASSOCIATION {key: link.key}]->(x)
RETURN count(*) AS created
