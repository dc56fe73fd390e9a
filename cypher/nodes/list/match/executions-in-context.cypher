MATCH (owner:Node {id: $contextId})-[:ASSOCIATION]->(n:Execution) USING INDEX SEEK owner:Node(id)
