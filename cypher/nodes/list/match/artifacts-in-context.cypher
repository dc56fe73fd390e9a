MATCH (:Node {id: $contextId})-[:ATTRIBUTION]->(n:Artifact)
