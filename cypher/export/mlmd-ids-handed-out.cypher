// The highest id each space has handed out: a counter's next id less one (allocate-mlmd-ids.cypher).
MATCH (c:MlmdIdCounter)
RETURN c.space AS space, c.next - 1 AS handedOut
