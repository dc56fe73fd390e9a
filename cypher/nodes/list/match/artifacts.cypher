MATCH (n:Artifact)
