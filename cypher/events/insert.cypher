// New events in the direction of the data flow: artifact -> execution for the input kinds
// ($inputs), execution -> artifact for the others ($outputs). Either list may be empty.
CALL () {
  UNWIND $inputs AS row
  MATCH (a:Node:Artifact {id: row.artifactId}) USING INDEX SEEK a:Node(id)
  MATCH (x:Node:Execution {id: row.executionId}) USING INDEX SEEK x:Node(id)
  CREATE (a)-[:EVENT {key: row.key, type: row.type, path: row.path, time: row.time}]->(x)
}
CALL () {
  UNWIND $outputs AS row
  MATCH (a:Node:Artifact {id: row.artifactId}) USING INDEX SEEK a:Node(id)
  MATCH (x:Node:Execution {id: row.executionId}) USING INDEX SEEK x:Node(id)
  CREATE (x)-[:EVENT {key: row.key, type: row.type, path: row.path, time: row.time}]->(a)
}
