CREATE INDEX execution_update_time IF NOT EXISTS FOR (n:Execution) ON (n.updateTime)
