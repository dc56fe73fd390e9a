CREATE INDEX context_type_id IF NOT EXISTS FOR (n:Context) ON (n.typeId)
