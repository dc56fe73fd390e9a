MATCH (a:Node:Artifact {id: $artifactId}) USING INDEX SEEK a:Node(id)
UNWIND $hashes AS hash
MATCH (s:DataSubject {hash: hash}) USING INDEX SEEK s:DataSubject(hash)
MATCH (a)-[r:HOLDS_RECORDS_OF]->(s)
DELETE r
RETURN count(*) AS deleted
