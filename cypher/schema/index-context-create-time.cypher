CREATE INDEX context_create_time IF NOT EXISTS FOR (n:Context) ON (n.createTime)
