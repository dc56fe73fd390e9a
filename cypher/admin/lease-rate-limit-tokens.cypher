// Leases up to $want tokens from caller $caller's shared bucket (src/server/shared-rate-limit.ts):
// the bucket holds up to $burst tokens and refills at $perSecond, by the database's clock so
// that processes on hosts whose clocks differ agree. The first SET takes the bucket's write
// lock before its tokens are read, so leases from several processes queue and none is lost.
// Answers the tokens granted (0 to $want) and the tokens left after them.
MERGE (b:RateLimitBucket {caller: $caller})
ON CREATE SET b.tokens = toFloat($burst), b.at = timestamp()
SET b.leasedAt = timestamp()
WITH b, b.tokens + CASE WHEN b.leasedAt > b.at THEN (b.leasedAt - b.at) / 1000.0 * $perSecond ELSE 0.0 END AS refilled
WITH b, CASE WHEN refilled > $burst THEN toFloat($burst) ELSE refilled END AS available
WITH b, available, CASE WHEN floor(available) < $want THEN toInteger(floor(available)) ELSE $want END AS granted
SET b.tokens = available - granted, b.at = b.leasedAt
RETURN granted, available - granted AS left
