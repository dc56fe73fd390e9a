// Items are nodes of their own, so one changes without rewriting the request. An item keeps
// a copy of its artifact (JSON), not a relationship to it: erasing the artifact is its point.
UNWIND $requests AS request
CREATE (r:ErasureRequest {
  id: request.id, subjectHash: request.subjectHash, createTime: request.createTime, reason: request.reason,
  subjectTextHash: request.subjectTextHash, subjectTextLength: request.subjectTextLength
})
WITH r, request
UNWIND request.items AS item
CREATE (r)-[:HAS_ITEM]->(:ErasureItem {
  key: item.key, artifactId: item.artifactId, position: item.position, artifact: item.artifact,
  status: item.status, note: item.note, updateTime: item.updateTime
})
