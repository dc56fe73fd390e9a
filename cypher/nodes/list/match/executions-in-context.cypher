MATCH (:Node {id: $contextId})-[:ASSOCIATION]->(n:Execution)
