UNWIND $ids AS id
MATCH (r:ErasureRequest {id: id}) USING INDEX SEEK r:ErasureRequest(id)
OPTIONAL MATCH (r)-[:HAS_ITEM]->(i:ErasureItem)
WITH r, i
ORDER BY i.position
RETURN properties(r) AS request, collect(properties(i)) AS items
