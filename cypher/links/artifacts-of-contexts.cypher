// A context's artifacts are its attributions (a dataset's versions, src/service/versions/).
UNWIND $ids AS id
MATCH (context:Node {id: id})-[:ATTRIBUTION]->(n:Artifact) USING INDEX SEEK context:Node(id)
RETURN id, NODE_RECORD AS node
ORDER BY n.id
