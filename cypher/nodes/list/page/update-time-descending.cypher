// One row: the page's records in order, in a list (nodes/record.cypher).
WITH n ORDER BY n.updateTime DESC, n.id DESC
LIMIT $limit
RETURN collect(NODE_RECORD) AS nodes
