"""Makes a large ML Metadata SQLite store quickly, for measuring the importer.

usage: make_large_mlmd.py STORE.sqlite NODES

ML Metadata's own client makes the store (its schema, version 10) and the types; the
rows are then written straight into its tables in bulk, in the layout its client writes
(a client put per node would take longer than the import being measured). The graph: a
chain of steps, each execution taking the previous step's output artifact and writing
one, every artifact with an INT and a STRING property and in one of the run contexts
(one per 100 steps, all children of one pipeline context), every execution associated.
"""
import sqlite3
import sys

from ml_metadata import metadata_store
from ml_metadata.proto import metadata_store_pb2 as pb

path, nodes = sys.argv[1], int(sys.argv[2])
config = pb.ConnectionConfig()
config.sqlite.filename_uri = path
config.sqlite.connection_mode = pb.SqliteMetadataSourceConfig.READWRITE_OPENCREATE
store = metadata_store.MetadataStore(config)
dataset = pb.ArtifactType(name='Examples', base_type=pb.ArtifactType.DATASET)
dataset.properties['span'] = pb.INT
dataset.properties['split'] = pb.STRING
artifact_type = store.put_artifact_type(dataset)
execution_type = store.put_execution_type(pb.ExecutionType(name='Transform'))
context_type = store.put_context_type(pb.ContextType(name='Run'))
pipeline_type = store.put_context_type(pb.ContextType(name='Pipeline'))
[pipeline] = store.put_contexts([pb.Context(type_id=pipeline_type, name='pipeline')])
del store

steps = max(1, (nodes - 1) // 2)
runs = (steps + 99) // 100
db = sqlite3.connect(path)
now = 1_700_000_000_000
with db:
    db.executemany('INSERT INTO Context (id, type_id, name, create_time_since_epoch, last_update_time_since_epoch) VALUES (?, ?, ?, ?, ?)',
                   ((pipeline + 1 + r, context_type, f'run-{r}', now, now) for r in range(runs)))
    db.executemany('INSERT INTO ParentContext (context_id, parent_context_id) VALUES (?, ?)', ((pipeline + 1 + r, pipeline) for r in range(runs)))
    db.executemany('INSERT INTO Artifact (id, type_id, uri, state, name, create_time_since_epoch, last_update_time_since_epoch) VALUES (?, ?, ?, 2, ?, ?, ?)',
                   ((i + 1, artifact_type, f's3://examples/{i}', f'examples-{i}', now, now) for i in range(steps + 1)))
    db.executemany('INSERT INTO ArtifactProperty (artifact_id, name, is_custom_property, int_value) VALUES (?, ?, 0, ?)',
                   ((i + 1, 'span', i) for i in range(steps + 1)))
    db.executemany('INSERT INTO ArtifactProperty (artifact_id, name, is_custom_property, string_value) VALUES (?, ?, 0, ?)',
                   ((i + 1, 'split', 'train' if i % 5 else 'eval') for i in range(steps + 1)))
    db.executemany('INSERT INTO Execution (id, type_id, last_known_state, create_time_since_epoch, last_update_time_since_epoch) VALUES (?, ?, 3, ?, ?)',
                   ((x + 1, execution_type, now, now) for x in range(steps)))
    db.executemany('INSERT INTO Event (id, artifact_id, execution_id, type, milliseconds_since_epoch) VALUES (?, ?, ?, ?, ?)',
                   ((2 * x + 1 + out, x + 1 + out, x + 1, 4 if out else 3, now) for x in range(steps) for out in (0, 1)))
    db.executemany('INSERT INTO Attribution (context_id, artifact_id) VALUES (?, ?)', ((pipeline + 1 + min(i, steps - 1) // 100, i + 1) for i in range(steps + 1)))
    db.executemany('INSERT INTO Association (context_id, execution_id) VALUES (?, ?)', ((pipeline + 1 + x // 100, x + 1) for x in range(steps)))
db.close()
print(f'{2 * steps + 1 + runs + 1} nodes: {steps + 1} artifacts, {steps} executions, {runs + 1} contexts, {2 * steps} events')
