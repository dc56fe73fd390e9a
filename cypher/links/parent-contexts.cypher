UNWIND $ids AS id
MATCH (child:Node {id: id})<-[:PARENT_CONTEXT]-(parent:Context)
RETURN id, labels(parent) AS labels, properties(parent) AS fields
ORDER BY parent.id
