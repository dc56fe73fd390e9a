// One row: the page's records in order, in a list (nodes/record.cypher).
WITH n ORDER BY n.createTime ASC, n.id ASC
LIMIT $limit
RETURN collect(NODE_RECORD) AS nodes
