CREATE INDEX context_update_time IF NOT EXISTS FOR (n:Context) ON (n.updateTime)
