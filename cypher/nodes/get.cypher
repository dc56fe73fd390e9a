// Any kind of node by id; one row, the records in a list (nodes/record.cypher).
UNWIND $ids AS id
MATCH (n:Node {id: id}) USING INDEX SEEK n:Node(id)
RETURN collect(NODE_RECORD) AS nodes
