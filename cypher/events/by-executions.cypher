UNWIND $ids AS id
MATCH (x:Node:Execution {id: id})-[e:EVENT]-(a:Artifact) USING INDEX SEEK x:Node(id)
RETURN a.id AS artifactId, x.id AS executionId, e.type AS type, e.path AS path, e.time AS time
ORDER BY time, artifactId, type
