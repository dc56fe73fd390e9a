// Constraints answer only once their index is online; init waits so the first write is checked.
CALL db.awaitIndexes($timeoutSeconds)
