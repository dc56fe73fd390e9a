// Before every status is derived again (another AGGREGATE minimum k, or a first derivation).
CALL {
  MATCH (d:PersonalDataStatus)
  DELETE d
}
MATCH (a:HoldsPersonalData)
REMOVE a:HoldsPersonalData
