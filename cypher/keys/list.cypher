MATCH (k:ApiKey)
RETURN properties(k) AS fields
ORDER BY k.createTime, k.id
