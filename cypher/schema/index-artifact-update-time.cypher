CREATE INDEX artifact_update_time IF NOT EXISTS FOR (n:Artifact) ON (n.updateTime)
