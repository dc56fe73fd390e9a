MATCH (o:ImportOrigin {source: $source, kind: $kind})
MATCH (n:Node {id: o.nodeId}) USING INDEX SEEK n:Node(id)
RETURN count(n) AS count
