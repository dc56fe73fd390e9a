UNWIND $rows AS row
CREATE (n:Node:Context)
SET n = row
