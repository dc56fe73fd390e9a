UNWIND $rows AS row
CREATE (t:Type:ContextType)
SET t = row
