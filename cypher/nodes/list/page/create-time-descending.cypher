RETURN labels(n) AS labels, properties(n) AS fields
ORDER BY n.createTime DESC, n.id DESC
LIMIT $limit
