UNWIND $ids AS id
MATCH (child:Node {id: id})<-[:PARENT_CONTEXT]-(n:Context) USING INDEX SEEK child:Node(id)
RETURN id, NODE_RECORD AS node
ORDER BY n.id
