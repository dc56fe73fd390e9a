CREATE INDEX execution_create_time IF NOT EXISTS FOR (n:Execution) ON (n.createTime)
