// The artifact is labelled as holding personal data, so the data-flow reach
// (data-flow-reach.cypher) can leave out every artifact that holds none.
UNWIND $rows AS row
MERGE (d:PersonalDataStatus {artifactId: row.id})
SET d.status = row.status
WITH row
MATCH (a:Node {id: row.id}) USING INDEX SEEK a:Node(id)
SET a:HoldsPersonalData
