// ImportOrigin nodes carry no :Node label: they are not part of the graph and no graph query meets them.
// key is the JSON text of [source, kind, sourceId], unique; a source id recorded before points at the new node.
UNWIND $rows AS row
MERGE (o:ImportOrigin {key: row.key})
SET o.source = row.source, o.kind = row.kind, o.sourceId = row.sourceId, o.nodeId = row.nodeId
