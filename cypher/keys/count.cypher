MATCH (k:ApiKey)
RETURN count(k) AS count
