// Events follow the data flow (artifact -> execution for inputs, execution -> artifact for
// outputs), so one step upstream from any frontier node is every EVENT arriving at it.
UNWIND $frontier AS id
MATCH (n:Node {id: id})<-[e:EVENT]-(neighbor) USING INDEX SEEK n:Node(id)
WHERE e.type IN $eventTypes AND ($asOf IS NULL OR e.time <= $asOf)
RETURN id AS frontierId, neighbor.id AS neighborId, neighbor.typeId AS neighborTypeId,
       neighbor:Artifact AS neighborIsArtifact, e.type AS type, e.path AS path, e.time AS time
