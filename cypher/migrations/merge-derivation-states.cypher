// Before the state node's uniqueness: a database where two processes raced to make it holds
// two. Keeps the one with the highest minimum k kept (a status derived under it is at least
// as strict; the next write under another k derives every status again anyway).
MATCH (s:PersonalDataDerivation {key: 'state'})
WITH s ORDER BY coalesce(s.minK, -1) DESC
WITH collect(s) AS states
WHERE size(states) > 1
UNWIND states[1..] AS extra
DETACH DELETE extra
RETURN count(*) AS deleted
