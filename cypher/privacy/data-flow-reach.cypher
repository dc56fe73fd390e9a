// lineage/downstream-reach.cypher for personal data: every kind of event, and only through
// executions and artifacts labelled HoldsPersonalData (put-derived-statuses.cypher), since
// no other artifact can receive personal data; the start is always expanded. The predicate
// is on each relationship's end node, so the expansion still meets each node once
// (PROFILE: VarLengthExpand(Pruning,BFS)). RADIUS and the answer as in
// downstream-reach.cypher ($eventTypes lists every event type: a step's type is its index
// there), and `holding`: the mlmdIds of the neighbours met that are labelled HoldsPersonalData.
MATCH (s:Node) USING INDEX SEEK s:Node(id) WHERE s.id IN $start
MATCH (s)-[walked:EVENT*0..RADIUS]->(n)
WHERE all(e IN walked WHERE endNode(e):Execution OR endNode(e):HoldsPersonalData)
WITH DISTINCT n LIMIT $nodeCap
OPTIONAL MATCH (n)-[e:EVENT]->(neighbor)
WITH n, collect(neighbor) AS neighbors, collect(CASE WHEN neighbor:Artifact THEN neighbor.mlmdId ELSE -neighbor.mlmdId END) AS neighborIds,
     collect([i IN range(0, size($eventTypes) - 1) WHERE $eventTypes[i] = e.type][0]) AS types,
     collect(e.time) AS times, collect(CASE e.path WHEN '[]' THEN 0 ELSE e.path END) AS paths
WITH collect(n) AS expanded, collect(neighbors) AS neighborLists, collect(CASE WHEN n:Artifact THEN n.mlmdId ELSE -n.mlmdId END) AS frontier,
     collect(neighborIds) AS neighborIds, collect(types) AS types, collect(times) AS times, collect(paths) AS paths
CALL (neighborLists) {
  UNWIND neighborLists AS neighbors
  UNWIND neighbors AS neighbor
  RETURN collect(DISTINCT neighbor) AS met, collect(DISTINCT CASE WHEN neighbor:HoldsPersonalData THEN CASE WHEN neighbor:Artifact THEN neighbor.mlmdId ELSE -neighbor.mlmdId END END) AS holding
}
CALL (expanded, met) {
  UNWIND expanded + met AS node
  WITH DISTINCT node
  WITH node.typeId AS typeId, node:Artifact AS artifact, collect(node.mlmdId) AS mlmdIds, collect(node.id) AS ids
  RETURN collect(typeId) AS typeIds, collect(artifact) AS artifacts, collect(mlmdIds) AS nodeMlmdIds, collect(ids) AS nodeIds
}
RETURN frontier, neighborIds, types, times, paths, typeIds, artifacts, nodeMlmdIds, nodeIds, holding
