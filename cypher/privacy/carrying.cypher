// The nodes personal data can flow out of: artifacts labelled HoldsPersonalData
// (put-derived-statuses.cypher) and executions with an input that is. Run after the
// write's own inserts, which locked these nodes, so it reads what a concurrent derivation
// committed meanwhile. Input events point from the artifact into the execution.
UNWIND $ids AS id
MATCH (n:Node {id: id}) USING INDEX SEEK n:Node(id)
WITH n
WHERE n:HoldsPersonalData OR (n:Execution AND EXISTS { (:HoldsPersonalData)-[:EVENT]->(n) })
RETURN n.id AS id
