// One node holds the AGGREGATE minimum k the stored statuses were derived with; writing it
// also serialises two writers that would both derive every status again.
MERGE (s:PersonalDataDerivation {key: 'state'})
SET s.minK = $minK
