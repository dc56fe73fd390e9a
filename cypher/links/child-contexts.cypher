UNWIND $ids AS id
MATCH (parent:Node {id: id})-[:PARENT_CONTEXT]->(n:Context) USING INDEX SEEK parent:Node(id)
RETURN id, NODE_RECORD AS node
ORDER BY n.id
