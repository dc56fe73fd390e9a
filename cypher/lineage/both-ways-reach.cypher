// Every step either way out of every node within RADIUS hops of the start set, in one
// statement, for ML Metadata's BIDIRECTIONAL lineage subgraph: an event is crossed from
// either end, so a path may go up and then down; the rest as downstream-reach.cypher.
// The variable-length match runs as a breadth-first expansion that meets each
// node once (PROFILE: VarLengthExpand(Pruning,BFS)), so a ladder of diamonds costs its
// nodes, not its paths; LIMIT keeps the nearest $nodeCap. RADIUS is a hop count the
// planner needs as a literal: neo4j-reach.ts puts in an integer it has validated.
//
// One row, few values (the driver decodes each value, and a row, one by one, and text
// costs most): a step is its neighbour's signed mlmdId (an execution's negated, as ids are
// unique per kind only), the index of its event type in
// $eventTypes, its time and its path (0 for the empty path, the usual one); the expanded
// nodes' steps are parallel lists per node. Each node met, expanded or at the far end of
// a step, is then named once: its id under its type's, with its kind (neo4j-reach.ts
// puts the seam's LineageSteps together). collect skips the nulls of a node without steps.
MATCH (s:Node) USING INDEX SEEK s:Node(id) WHERE s.id IN $start
MATCH (s)-[walked:EVENT*0..RADIUS]-(n)
WHERE all(e IN walked WHERE e.type IN $eventTypes AND ($asOf IS NULL OR e.time <= $asOf))
WITH DISTINCT n LIMIT $nodeCap
OPTIONAL MATCH (n)-[e:EVENT]-(neighbor)
WHERE e.type IN $eventTypes AND ($asOf IS NULL OR e.time <= $asOf)
WITH n, collect(neighbor) AS neighbors, collect(CASE WHEN neighbor:Artifact THEN neighbor.mlmdId ELSE -neighbor.mlmdId END) AS neighborIds,
     collect([i IN range(0, size($eventTypes) - 1) WHERE $eventTypes[i] = e.type][0]) AS types,
     collect(e.time) AS times, collect(CASE e.path WHEN '[]' THEN 0 ELSE e.path END) AS paths
WITH collect(n) AS expanded, collect(neighbors) AS neighborLists, collect(CASE WHEN n:Artifact THEN n.mlmdId ELSE -n.mlmdId END) AS frontier,
     collect(neighborIds) AS neighborIds, collect(types) AS types, collect(times) AS times, collect(paths) AS paths
CALL (neighborLists) {
  UNWIND neighborLists AS neighbors
  UNWIND neighbors AS neighbor
  RETURN collect(DISTINCT neighbor) AS met
}
CALL (expanded, met) {
  UNWIND expanded + met AS node
  WITH DISTINCT node
  WITH node.typeId AS typeId, node:Artifact AS artifact, collect(node.mlmdId) AS mlmdIds, collect(node.id) AS ids
  RETURN collect(typeId) AS typeIds, collect(artifact) AS artifacts, collect(mlmdIds) AS nodeMlmdIds, collect(ids) AS nodeIds
}
RETURN frontier, neighborIds, types, times, paths, typeIds, artifacts, nodeMlmdIds, nodeIds
