// The node each import origin points at, for the origins whose node still exists (deleting
// a node leaves its origin behind; the importer then brings the node again).
UNWIND $keys AS key
MATCH (o:ImportOrigin {key: key}) USING INDEX SEEK o:ImportOrigin(key)
MATCH (n:Node {id: o.nodeId}) USING INDEX SEEK n:Node(id)
RETURN key, n.id AS nodeId
