CREATE INDEX artifact_create_time IF NOT EXISTS FOR (n:Artifact) ON (n.createTime)
