// A write that derives every status again (another minimum k) takes the state node's write
// lock (setting a property takes it, whatever the value) and keeps it until it commits, so
// two such derivations run one after the other.
MERGE (s:PersonalDataDerivation {key: 'state'})
SET s.locked = true
RETURN s.minK AS minK
