UNWIND $ids AS id
MATCH (d:PersonalDataStatus {artifactId: id}) USING INDEX SEEK d:PersonalDataStatus(artifactId)
DELETE d
WITH id
MATCH (a:Node {id: id}) USING INDEX SEEK a:Node(id)
REMOVE a:HoldsPersonalData
