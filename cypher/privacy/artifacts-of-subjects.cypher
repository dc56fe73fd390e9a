UNWIND $hashes AS hash
MATCH (s:DataSubject {hash: hash}) USING INDEX SEEK s:DataSubject(hash)
MATCH (a:Artifact)-[:HOLDS_RECORDS_OF]->(s)
RETURN hash, a.id AS artifactId
