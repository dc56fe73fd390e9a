// From parent to child. The caller sends each link once; only missing ones are created and counted.
UNWIND $links AS link
MATCH (parent:Node:Context {id: link.parentId})
MATCH (child:Node:Context {id: link.childId})
WHERE NOT EXISTS { (parent)-[:PARENT_CONTEXT]->(child) }
CREATE (parent)-[:PARENT_CONTEXT {key: link.key}]->(child)
RETURN count(*) AS created
