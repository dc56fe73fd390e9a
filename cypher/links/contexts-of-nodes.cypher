// Attributions only reach artifacts and associations only executions, so one pattern serves both.
UNWIND $ids AS id
MATCH (n:Node {id: id})<-[:ATTRIBUTION|ASSOCIATION]-(c:Context) USING INDEX SEEK n:Node(id)
RETURN id, labels(c) AS labels, properties(c) AS fields
ORDER BY c.id
