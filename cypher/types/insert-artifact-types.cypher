UNWIND $rows AS row
CREATE (t:Type:ArtifactType)
SET t = row
