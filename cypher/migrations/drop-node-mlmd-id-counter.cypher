// Migration 5: the shared counter of every node, once the per-kind ones stand past it.
MATCH (c:MlmdIdCounter {space: 'node'})
DELETE c
