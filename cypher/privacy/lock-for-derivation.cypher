// Takes each node's write lock until the transaction ends: adding a label locks the node
// and removing it again leaves the node as it was, but the lock is held. A write that
// links one of these nodes (creating an event locks both its ends) then waits for the
// derivation to commit, and reads its statuses afterwards (carrying.cypher).
UNWIND $ids AS id
MATCH (n:Node {id: id}) USING INDEX SEEK n:Node(id)
SET n:PersonalDataDerivationLock
REMOVE n:PersonalDataDerivationLock
