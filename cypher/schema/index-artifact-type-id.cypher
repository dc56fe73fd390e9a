CREATE INDEX artifact_type_id IF NOT EXISTS FOR (n:Artifact) ON (n.typeId)
