UNWIND $rows AS row
MERGE (d:PersonalDataStatus {artifactId: row.id})
SET d.status = row.status
