MATCH (n:Context)
