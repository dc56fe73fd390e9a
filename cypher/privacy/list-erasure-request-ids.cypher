// Newest first: ids are UUIDv7, made in creation order. $beforeId is '\uffff' (above every id) for the first page.
MATCH (r:ErasureRequest) USING INDEX SEEK r:ErasureRequest(id)
WHERE r.id < $beforeId
RETURN r.id AS id
ORDER BY r.id DESC
LIMIT $limit
