UNWIND $ids AS id
MATCH (child:Node {id: id})<-[:PARENT_CONTEXT]-(parent:Context) USING INDEX SEEK child:Node(id)
RETURN id, labels(parent) AS labels, properties(parent) AS fields
ORDER BY parent.id
