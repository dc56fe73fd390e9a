// $afterId is '' (below every id) for the first page.
MATCH (e:AuditEntry) USING INDEX SEEK e:AuditEntry(id)
WHERE e.id > $afterId
RETURN properties(e) AS fields
ORDER BY e.id
LIMIT $limit
