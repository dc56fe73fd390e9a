// Finds the artifacts that declare personal data themselves, where the inventory starts.
CREATE INDEX artifact_personal_data IF NOT EXISTS FOR (n:Artifact) ON (n.personalData)
