UNWIND $ids AS id
MATCH (n:Node {id: id})
RETURN labels(n) AS labels, properties(n) AS fields
