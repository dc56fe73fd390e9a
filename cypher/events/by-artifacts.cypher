UNWIND $ids AS id
MATCH (a:Node:Artifact {id: id})-[e:EVENT]-(x:Execution) USING INDEX SEEK a:Node(id)
RETURN a.id AS artifactId, x.id AS executionId, e.type AS type, e.path AS path, e.time AS time
ORDER BY time, executionId, type
