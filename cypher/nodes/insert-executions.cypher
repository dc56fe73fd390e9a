UNWIND $rows AS row
CREATE (n:Node:Execution)
SET n = row
