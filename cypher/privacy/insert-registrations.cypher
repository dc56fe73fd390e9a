// A subject is a :DataSubject node holding the keyed hash of its identifier (never the
// identifier); a registration is a relationship from the artifact, created only when
// missing, so the count is of new registrations. The caller sends each hash once.
// The artifact's write lock is taken first (a label set and removed leaves it as it was)
// and held until the commit, so registrations of one artifact from several processes run
// one after another: each checks what the one before committed, and no pair is created
// (and counted new) twice. Nothing else keeps the relationship unique.
MATCH (a:Node:Artifact {id: $artifactId}) USING INDEX SEEK a:Node(id)
SET a:RegistrationLock
REMOVE a:RegistrationLock
WITH a
UNWIND $hashes AS hash
MERGE (s:DataSubject {hash: hash})
WITH a, s
WHERE NOT EXISTS { (a)-[:HOLDS_RECORDS_OF]->(s) }
CREATE (a)-[:HOLDS_RECORDS_OF]->(s)
RETURN count(*) AS created
