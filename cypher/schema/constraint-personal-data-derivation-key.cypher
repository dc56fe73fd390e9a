// One derivation state node (privacy/lock-derivation.cypher): without it, two processes
// making the first derivation at once could each MERGE a node of their own, and then
// neither would wait for the other's lock.
CREATE CONSTRAINT personal_data_derivation_key IF NOT EXISTS FOR (s:PersonalDataDerivation) REQUIRE s.key IS UNIQUE
