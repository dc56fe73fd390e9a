// Derived statuses live on nodes of their own, not on the artifacts, so that reading a
// record (properties(n)) never carries them over the wire.
UNWIND $ids AS id
MATCH (d:PersonalDataStatus {artifactId: id}) USING INDEX SEEK d:PersonalDataStatus(artifactId)
RETURN id, d.status AS status
