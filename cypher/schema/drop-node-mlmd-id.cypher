// Migration 5: ids are unique per kind now (constraint-artifact-mlmd-id.cypher and its
// siblings), so artifact 1 and execution 1 may both exist: the one space over every node goes.
DROP CONSTRAINT node_mlmd_id IF EXISTS
