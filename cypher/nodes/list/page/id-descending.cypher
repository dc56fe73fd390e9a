RETURN labels(n) AS labels, properties(n) AS fields
ORDER BY n.id DESC
LIMIT $limit
