// Events follow the data flow (artifact -> execution for inputs, execution -> artifact for
// outputs), so one step downstream from any frontier node is every EVENT leaving it.
// Answered as downstream-reach.cypher answers, for the frontier's nodes.
UNWIND $frontier AS id
MATCH (n:Node {id: id}) USING INDEX SEEK n:Node(id)
OPTIONAL MATCH (n)-[e:EVENT]->(neighbor)
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
