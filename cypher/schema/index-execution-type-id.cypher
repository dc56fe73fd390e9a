CREATE INDEX execution_type_id IF NOT EXISTS FOR (n:Execution) ON (n.typeId)
