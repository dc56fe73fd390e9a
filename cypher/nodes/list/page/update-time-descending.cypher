RETURN labels(n) AS labels, properties(n) AS fields
ORDER BY n.updateTime DESC, n.id DESC
LIMIT $limit
