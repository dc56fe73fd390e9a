UNWIND $ids AS id
MATCH (n:Node {id: id}) USING INDEX SEEK n:Node(id)
RETURN labels(n) AS labels, properties(n) AS fields
