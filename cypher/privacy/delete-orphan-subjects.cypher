// A subject left without registrations goes too, so no hash outlives its last registration.
UNWIND $hashes AS hash
MATCH (s:DataSubject {hash: hash}) USING INDEX SEEK s:DataSubject(hash)
WHERE NOT EXISTS { (s)<-[:HOLDS_RECORDS_OF]-() }
DELETE s
