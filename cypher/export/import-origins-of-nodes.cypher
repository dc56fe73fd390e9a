// Each node's import origins (import/record-origins.cypher). ImportOrigin has no index on
// nodeId: this filters the origins once per page of nodes, cheap where few nodes were imported.
MATCH (o:ImportOrigin)
WHERE o.nodeId IN $ids
RETURN o.nodeId AS id, o.source AS source, o.sourceId AS sourceId
ORDER BY id, source, sourceId
