// A subject is a :DataSubject node holding the keyed hash of its identifier (never the
// identifier); a registration is a relationship from the artifact, created only when
// missing, so the count is of new registrations. The caller sends each hash once.
MATCH (a:Node:Artifact {id: $artifactId}) USING INDEX SEEK a:Node(id)
UNWIND $hashes AS hash
MERGE (s:DataSubject {hash: hash})
WITH a, s
WHERE NOT EXISTS { (a)-[:HOLDS_RECORDS_OF]->(s) }
CREATE (a)-[:HOLDS_RECORDS_OF]->(s)
RETURN count(*) AS created
