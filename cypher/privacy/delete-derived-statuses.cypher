UNWIND $ids AS id
MATCH (d:PersonalDataStatus {artifactId: id}) USING INDEX SEEK d:PersonalDataStatus(artifactId)
DELETE d
