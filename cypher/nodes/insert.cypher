// New nodes of every kind in one statement (a write the transaction runs next to others,
// neo4j-transaction.ts): each kind's rows under its label, a list that may be empty.
CALL () { UNWIND $artifacts AS row CREATE (n:Node:Artifact) SET n = row }
CALL () { UNWIND $executions AS row CREATE (n:Node:Execution) SET n = row }
CALL () { UNWIND $contexts AS row CREATE (n:Node:Context) SET n = row }
