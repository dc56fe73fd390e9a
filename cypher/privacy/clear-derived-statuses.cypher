// Before every status is derived again (another AGGREGATE minimum k, or a first derivation).
MATCH (d:PersonalDataStatus)
DELETE d
