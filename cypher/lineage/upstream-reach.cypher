// Every upstream step out of every node within RADIUS hops of the start set, in one
// statement. The variable-length match runs as a breadth-first expansion that meets each
// node once (PROFILE: VarLengthExpand(Pruning,BFS)), so a ladder of diamonds costs its
// nodes, not its paths; LIMIT keeps the nearest $nodeCap. RADIUS is a hop count the
// planner needs as a literal: neo4j-store.ts puts in an integer it has validated.
// One row per node, its steps as parallel lists (collect skips the null of a node
// without steps, leaving its lists empty): the driver decodes a row's values one by one,
// and per-node rows cut the rows, and the repeated frontier id, by more than half.
MATCH (s:Node) USING INDEX SEEK s:Node(id) WHERE s.id IN $start
MATCH (s)<-[walked:EVENT*0..RADIUS]-(n)
WHERE all(e IN walked WHERE e.type IN $eventTypes AND ($asOf IS NULL OR e.time <= $asOf))
WITH DISTINCT n LIMIT $nodeCap
OPTIONAL MATCH (n)<-[e:EVENT]-(neighbor)
WHERE e.type IN $eventTypes AND ($asOf IS NULL OR e.time <= $asOf)
RETURN n.id AS frontierId, collect(neighbor.id) AS neighborIds, collect(neighbor.typeId) AS neighborTypeIds,
       collect(neighbor:Artifact) AS neighborIsArtifact, collect(e.type) AS types, collect(e.path) AS paths,
       collect(e.time) AS times
