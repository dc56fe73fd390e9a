UNWIND $rows AS row
CREATE (t:Type:ExecutionType)
SET t = row
