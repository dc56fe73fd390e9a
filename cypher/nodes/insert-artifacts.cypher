UNWIND $rows AS row
CREATE (n:Node:Artifact)
SET n = row
