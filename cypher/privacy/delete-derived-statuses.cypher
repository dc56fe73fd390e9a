UNWIND $ids AS id
MATCH (d:PersonalDataStatus {artifactId: id}) USING INDEX SEEK d:PersonalDataStatus(artifactId)
DELETE d
WITH id
MATCH (a:Artifact {id: id}) USING INDEX SEEK a:Artifact(id)
REMOVE a:HoldsPersonalData
