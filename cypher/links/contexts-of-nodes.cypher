// Attributions only reach artifacts and associations only executions, so one pattern serves both.
UNWIND $ids AS id
MATCH (member:Node {id: id})<-[:ATTRIBUTION|ASSOCIATION]-(n:Context) USING INDEX SEEK member:Node(id)
RETURN id, NODE_RECORD AS node
ORDER BY n.id
