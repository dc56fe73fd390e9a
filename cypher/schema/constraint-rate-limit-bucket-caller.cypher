// One shared token bucket per caller (limits/lease-tokens.cypher), for the same reason as
// the counters': processes leasing at once MERGE the same node and queue on its lock.
CREATE CONSTRAINT rate_limit_bucket_caller IF NOT EXISTS FOR (b:RateLimitBucket) REQUIRE b.caller IS UNIQUE
