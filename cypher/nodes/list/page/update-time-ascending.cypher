RETURN labels(n) AS labels, properties(n) AS fields
ORDER BY n.updateTime ASC, n.id ASC
LIMIT $limit
