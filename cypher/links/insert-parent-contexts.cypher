// From parent to child. The caller sends each link once; only missing ones are created and counted.
UNWIND $links AS link
MATCH (parent:Node:Context {id: link.parentId}) USING INDEX SEEK parent:Node(id)
MATCH (child:Node:Context {id: link.childId}) USING INDEX SEEK child:Node(id)
WHERE NOT EXISTS { (parent)-[:PARENT_CONTEXT]->(child) }
CREATE (parent)-[:PARENT_CONTEXT {key: link.key}]->(child)
RETURN count(*) AS created
