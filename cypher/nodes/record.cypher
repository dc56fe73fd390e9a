// The record of node n as one list, a value per field in a fixed order (nodeFromList in
// neo4j-records.ts reads it): id, mlmdId, kind (0 artifact, 1 execution, 2 context),
// typeId, name, externalId, createTime, updateTime, uri, state, lastKnownState,
// personalData, privacy, then its property values as key, value, key, value, ... The
// driver decodes a map's keys as text, one by one; a list of the same values costs it
// less. Statements write NODE_RECORD where the record goes; the loader puts this in.
[n.id, n.mlmdId, CASE WHEN n:Artifact THEN 0 WHEN n:Execution THEN 1 WHEN n:Context THEN 2 END, n.typeId, n.name,
 n.externalId, n.createTime, n.updateTime, n.uri, n.state, n.lastKnownState, n.personalData, n.privacy,
 reduce(values = [], k IN keys(n) | CASE WHEN k STARTS WITH 'prop' OR k STARTS WITH 'custom' THEN values + [k, n[k]] ELSE values END)]
