// Output-kind events point along the data flow: from the execution to the artifact it wrote.
UNWIND $rows AS row
MATCH (a:Node:Artifact {id: row.artifactId}) USING INDEX SEEK a:Node(id)
MATCH (x:Node:Execution {id: row.executionId}) USING INDEX SEEK x:Node(id)
CREATE (x)-[:EVENT {key: row.key, type: row.type, path: row.path, time: row.time}]->(a)
