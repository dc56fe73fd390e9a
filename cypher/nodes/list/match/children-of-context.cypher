MATCH (:Node {id: $parentId})-[:PARENT_CONTEXT]->(n:Context)
