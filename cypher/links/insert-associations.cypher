// The caller sends each link once; only links missing from the graph are created and counted.
UNWIND $links AS link
MATCH (c:Node:Context {id: link.contextId})
MATCH (x:Node:Execution {id: link.executionId})
WHERE NOT EXISTS { (c)-[:ASSOCIATION]->(x) }
CREATE (c)-[:ASSOCIATION {key: link.key}]->(x)
RETURN count(*) AS created
