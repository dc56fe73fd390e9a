// Tests only: empties the database a batch at a time (one huge transaction would need the
// whole graph in memory), keeping constraints and indexes.
MATCH (n)
WITH n
LIMIT $batchSize
DETACH DELETE n
RETURN count(*) AS deleted
