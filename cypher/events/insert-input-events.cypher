// Input-kind events point along the data flow: from the artifact read to the execution.
UNWIND $rows AS row
MATCH (a:Node:Artifact {id: row.artifactId}) USING INDEX SEEK a:Node(id)
MATCH (x:Node:Execution {id: row.executionId}) USING INDEX SEEK x:Node(id)
CREATE (a)-[:EVENT {key: row.key, type: row.type, path: row.path, time: row.time}]->(x)
