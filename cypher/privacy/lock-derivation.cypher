// A write that derives statuses takes the state node's write lock (setting a property takes
// it, whatever the value) and keeps it until it commits, so derivations run one at a time.
MERGE (s:PersonalDataDerivation {key: 'state'})
SET s.locked = true
RETURN s.minK AS minK
