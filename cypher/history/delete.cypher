// Forgets the replaced records of these nodes; their current records stay.
UNWIND $ids AS id
OPTIONAL MATCH (h:NodeHistory {id: id}) USING INDEX SEEK h:NodeHistory(id)
DETACH DELETE h
RETURN count(h) AS deleted
