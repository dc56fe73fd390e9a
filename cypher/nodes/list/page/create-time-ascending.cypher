RETURN labels(n) AS labels, properties(n) AS fields
ORDER BY n.createTime ASC, n.id ASC
LIMIT $limit
