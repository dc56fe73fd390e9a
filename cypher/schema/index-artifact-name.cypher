CREATE INDEX artifact_name IF NOT EXISTS FOR (n:Artifact) ON (n.name)
