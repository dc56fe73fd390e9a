CREATE INDEX execution_name IF NOT EXISTS FOR (n:Execution) ON (n.name)
