MATCH (owner:Node {id: $contextId})-[:ATTRIBUTION]->(n:Artifact) USING INDEX SEEK owner:Node(id)
