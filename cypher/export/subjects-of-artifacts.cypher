// Each artifact's registered subject hashes (registrations: insert-registrations.cypher), in hash order.
UNWIND $ids AS id
MATCH (a:Node:Artifact {id: id}) USING INDEX SEEK a:Node(id)
MATCH (a)-[:HOLDS_RECORDS_OF]->(s:DataSubject)
RETURN id, s.hash AS hash
ORDER BY id, hash
