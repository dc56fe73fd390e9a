CREATE INDEX artifact_uri IF NOT EXISTS FOR (n:Artifact) ON (n.uri)
