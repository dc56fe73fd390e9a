UNWIND $ids AS id
MATCH (n:Node {id: id}) USING INDEX SEEK n:Node(id)
DETACH DELETE n
RETURN id
