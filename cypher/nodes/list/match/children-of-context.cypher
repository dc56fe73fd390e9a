MATCH (parent:Node {id: $parentId})-[:PARENT_CONTEXT]->(n:Context) USING INDEX SEEK parent:Node(id)
