UNWIND $ids AS id
MATCH (parent:Node {id: id})-[:PARENT_CONTEXT]->(child:Context) USING INDEX SEEK parent:Node(id)
RETURN id, labels(child) AS labels, properties(child) AS fields
ORDER BY child.id
