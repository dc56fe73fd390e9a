UNWIND $hashes AS hash
MATCH (s:DataSubject {hash: hash}) USING INDEX SEEK s:DataSubject(hash)
OPTIONAL MATCH (s)<-[r:HOLDS_RECORDS_OF]-()
WITH s, count(r) AS registrations
DETACH DELETE s
RETURN sum(registrations) AS deleted
