UNWIND $ids AS id
MATCH (n:Node {id: id}) USING INDEX SEEK n:Node(id)
// An artifact's registrations go with it, and so does a subject left without any, so no
// subject hash outlives its last registration (on SQLite the registrations are the subjects).
CALL (n) {
  MATCH (n)-[r:HOLDS_RECORDS_OF]->(s:DataSubject)
  DELETE r
  WITH s
  WHERE NOT EXISTS { (s)<-[:HOLDS_RECORDS_OF]-() }
  DELETE s
}
// Its derived status goes with it (on SQLite by cascade).
CALL (n) {
  MATCH (d:PersonalDataStatus {artifactId: n.id})
  DELETE d
}
// Its history goes with it (on SQLite by cascade).
CALL (n) {
  MATCH (h:NodeHistory {id: n.id}) USING INDEX SEEK h:NodeHistory(id)
  DELETE h
}
DETACH DELETE n
RETURN id
