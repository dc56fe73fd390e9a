MATCH (n:Execution)
