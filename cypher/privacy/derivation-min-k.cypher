OPTIONAL MATCH (s:PersonalDataDerivation {key: 'state'})
RETURN s.minK AS minK
