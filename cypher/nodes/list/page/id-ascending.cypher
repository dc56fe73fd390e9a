RETURN labels(n) AS labels, properties(n) AS fields
ORDER BY n.id ASC
LIMIT $limit
