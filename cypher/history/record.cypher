// The record of node n as history record r held it, in nodes/record.cypher's list order
// (nodeFromList reads it): what never changes from n, what an update may change from r.
// With r = n it is n's current record. Statements write HISTORY_RECORD where it goes.
[n.id, n.mlmdId, CASE WHEN n:Artifact THEN 0 WHEN n:Execution THEN 1 WHEN n:Context THEN 2 END, n.typeId, r.name,
 r.externalId, n.createTime, r.updateTime, r.uri, r.state, r.lastKnownState, r.personalData, r.privacy,
 reduce(values = [], k IN keys(r) | CASE WHEN k STARTS WITH 'prop' OR k STARTS WITH 'custom' THEN values + [k, r[k]] ELSE values END)]
