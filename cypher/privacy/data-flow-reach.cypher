// lineage/downstream-reach.cypher for personal data: every kind of event, and only through
// executions and artifacts labelled HoldsPersonalData (put-derived-statuses.cypher), since
// no other artifact can receive personal data; the start is always expanded. The predicate
// is on each relationship's end node, so the expansion still meets each node once
// (PROFILE: VarLengthExpand(Pruning,BFS)). RADIUS as in downstream-reach.cypher.
MATCH (s:Node) USING INDEX SEEK s:Node(id) WHERE s.id IN $start
MATCH (s)-[walked:EVENT*0..RADIUS]->(n)
WHERE all(e IN walked WHERE endNode(e):Execution OR endNode(e):HoldsPersonalData)
WITH DISTINCT n LIMIT $nodeCap
OPTIONAL MATCH (n)-[e:EVENT]->(neighbor)
RETURN n.id AS frontierId, collect(neighbor.id) AS neighborIds, collect(neighbor.typeId) AS neighborTypeIds,
       collect(neighbor:Artifact) AS neighborIsArtifact, collect(neighbor:HoldsPersonalData) AS neighborHolds,
       collect(e.type) AS types, collect(e.path) AS paths, collect(e.time) AS times
