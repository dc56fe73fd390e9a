// New types of every kind in one statement: each kind's rows under its label, a list that may be empty.
CALL () { UNWIND $artifactTypes AS row CREATE (t:Type:ArtifactType) SET t = row }
CALL () { UNWIND $executionTypes AS row CREATE (t:Type:ExecutionType) SET t = row }
CALL () { UNWIND $contextTypes AS row CREATE (t:Type:ContextType) SET t = row }
