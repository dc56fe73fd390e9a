"""Writes an ML Metadata SQLite store through ml-metadata's own client, then prints (JSON,
on stdout) what that client reads back from it: the answers an import must reproduce.

usage: make_mlmd_store.py STORE [extra-artifacts]
STORE: a SQLite file, or mysql://user@host:port/database (a MySQL or MariaDB server; ML
Metadata makes the database and its tables)

The graph (ids are ML Metadata's, numbered per kind):
  contexts   pipeline "p" (parent) -> runs "r1", "r2" (children); r1 has properties
  artifacts  raw (DataSet, every kind of value), cleaned, model, 2 unnamed ones, then
             `extra-artifacts` more in a chain for the tests that need many pages
  executions clean (raw -> cleaned), train (cleaned -> model, DECLARED_INPUT of raw too),
             eval (model -> unnamed metrics, INTERNAL_OUTPUT)
  events     with paths: key and index steps
"""
import base64
import json
import sys

from google.protobuf import json_format
from ml_metadata import metadata_store
from ml_metadata.proto import metadata_store_pb2 as pb
from mlmd_connection import connection_config

path = sys.argv[1]
extra = int(sys.argv[2]) if len(sys.argv) > 2 else 0
store = metadata_store.MetadataStore(connection_config(path))

# ML Metadata's MySQL tables hold int_value as INT (32 bits); its SQLite ones as 64 bits.
BIG = 2**31 - 1 if path.startswith('mysql://') else 2**53 - 1

dataset = pb.ArtifactType(name='DataSet', base_type=pb.ArtifactType.DATASET, description='tables')
for name, kind in [('rows', pb.INT), ('score', pb.DOUBLE), ('owner', pb.STRING), ('schema', pb.STRUCT), ('ok', pb.BOOLEAN)]:
    dataset.properties[name] = kind
dataset_id = store.put_artifact_type(dataset)
model_type = pb.ArtifactType(name='Model', version='v2', base_type=pb.ArtifactType.MODEL)
model_type.properties['card'] = pb.PROTO
model_id = store.put_artifact_type(model_type)
trainer = pb.ExecutionType(name='Trainer', base_type=pb.ExecutionType.TRAIN, external_id='trainer-ext')
trainer.properties['epochs'] = pb.INT
trainer_id = store.put_execution_type(trainer)
step_id = store.put_execution_type(pb.ExecutionType(name='Step'))
run_type = pb.ContextType(name='Run')
run_type.properties['note'] = pb.STRING
run_id = store.put_context_type(run_type)
pipeline_id = store.put_context_type(pb.ContextType(name='Pipeline'))

raw = pb.Artifact(type_id=dataset_id, name='raw', uri='s3://raw', state=pb.Artifact.LIVE, external_id='raw-ext')
raw.properties['rows'].int_value = BIG
raw.properties['score'].double_value = 0.125
raw.properties['owner'].string_value = 'anna é'
raw.properties['schema'].struct_value.update({'cols': ['a', 'b'], 'nested': {'n': 3, 'f': 1.5, 'on': True, 'none': None}})
raw.properties['ok'].bool_value = True
raw.custom_properties['neg'].int_value = -BIG
raw.custom_properties['ratio'].double_value = -2.5
raw.custom_properties['tag'].string_value = ''
raw.custom_properties['flag'].bool_value = False
raw.custom_properties['cfg'].struct_value.update({'layers': [1, 2.5, 'x']})
cleaned = pb.Artifact(type_id=dataset_id, name='cleaned', uri='s3://cleaned', state=pb.Artifact.PENDING)
cleaned.properties['rows'].int_value = 0
model = pb.Artifact(type_id=model_id, name='model', uri='s3://model', state=pb.Artifact.MARKED_FOR_DELETION)
# PROTO values (a google.protobuf.Any each): a real message, and bytes no text encoding holds.
model.properties['card'].proto_value.Pack(pb.Artifact(name='packed', uri='s3://packed'))
model.custom_properties['blob'].proto_value.type_url = 'example.com/x.Blob'
model.custom_properties['blob'].proto_value.value = b'\x00\xff\xfe\x80 raw'
unnamed1 = pb.Artifact(type_id=dataset_id, uri='s3://u1')
unnamed2 = pb.Artifact(type_id=dataset_id)
a_raw, a_cleaned, a_model, a_u1, a_u2 = store.put_artifacts([raw, cleaned, model, unnamed1, unnamed2])

clean = pb.Execution(type_id=step_id, name='clean', last_known_state=pb.Execution.COMPLETE)
train = pb.Execution(type_id=trainer_id, name='train', last_known_state=pb.Execution.RUNNING)
train.properties['epochs'].int_value = 12
train.custom_properties['lr'].double_value = 0.001
evaluate = pb.Execution(type_id=step_id, last_known_state=pb.Execution.FAILED)
x_clean, x_train, x_eval = store.put_executions([clean, train, evaluate])


def event(a, x, kind, *steps):
    e = pb.Event(artifact_id=a, execution_id=x, type=kind)
    for s in steps:
        step = e.path.steps.add()
        if isinstance(s, int):
            step.index = s
        else:
            step.key = s
    return e


store.put_events([
    event(a_raw, x_clean, pb.Event.INPUT, 'data', 0),
    event(a_cleaned, x_clean, pb.Event.OUTPUT, 'out'),
    event(a_cleaned, x_train, pb.Event.INPUT),
    event(a_raw, x_train, pb.Event.DECLARED_INPUT, 7),
    event(a_model, x_train, pb.Event.OUTPUT, 'model', 1, 'k'),
    event(a_model, x_eval, pb.Event.INPUT),
    event(a_u1, x_eval, pb.Event.INTERNAL_OUTPUT),
    event(a_u2, x_eval, pb.Event.OUTPUT),
])

pipeline = pb.Context(type_id=pipeline_id, name='p', external_id='p-ext')
r1 = pb.Context(type_id=run_id, name='r1')
r1.properties['note'].string_value = 'first'
r1.custom_properties['attempt'].int_value = 1
r2 = pb.Context(type_id=run_id, name='r2')
c_p, c_r1, c_r2 = store.put_contexts([pipeline, r1, r2])
store.put_attributions_and_associations(
    [pb.Attribution(context_id=c_r1, artifact_id=a) for a in (a_raw, a_cleaned, a_model)]
    + [pb.Attribution(context_id=c_r2, artifact_id=a_u1), pb.Attribution(context_id=c_p, artifact_id=a_model)],
    [pb.Association(context_id=c_r1, execution_id=x) for x in (x_clean, x_train)]
    + [pb.Association(context_id=c_r2, execution_id=x_eval)],
)
store.put_parent_contexts([pb.ParentContext(child_id=c_r1, parent_id=c_p), pb.ParentContext(child_id=c_r2, parent_id=c_p)])

# A chain for the tests that need many pages: extra artifacts, each the output of a step that took the one before.
previous = a_u2
for start in range(0, extra, 500):
    count = min(500, extra - start)
    ids = store.put_artifacts([pb.Artifact(type_id=dataset_id, uri=f's3://chain/{start + i}') for i in range(count)])
    steps = store.put_executions([pb.Execution(type_id=step_id, last_known_state=pb.Execution.COMPLETE) for _ in ids])
    events = []
    for a, x in zip(ids, steps):
        events += [event(previous, x, pb.Event.INPUT), event(a, x, pb.Event.OUTPUT)]
        previous = a
    store.put_events(events)
    store.put_attributions_and_associations([pb.Attribution(context_id=c_r2, artifact_id=a) for a in ids], [])


def values(props):
    out = {}
    for name, v in props.items():
        which = v.WhichOneof('value')
        if which == 'int_value':
            out[name] = {'int': str(v.int_value)}
        elif which == 'double_value':
            out[name] = {'double': v.double_value}
        elif which == 'string_value':
            out[name] = {'string': v.string_value}
        elif which == 'bool_value':
            out[name] = {'bool': v.bool_value}
        elif which == 'struct_value':
            out[name] = {'struct': json_format.MessageToDict(v.struct_value)}
        elif which == 'proto_value':
            out[name] = {'proto': {'typeUrl': v.proto_value.type_url, 'value': base64.b64encode(v.proto_value.value).decode()}}
        else:
            raise ValueError(which)
    return out


def type_of(t, kind):
    base = None
    if kind != 'CONTEXT_TYPE' and t.HasField('base_type'):
        base = type(t).SystemDefinedBaseType.Name(t.base_type)
    return {
        'kind': kind, 'name': t.name, 'version': t.version if t.HasField('version') else None,
        'description': t.description if t.HasField('description') else None,
        'externalId': t.external_id if t.HasField('external_id') else None, 'baseType': base,
        'properties': {n: pb.PropertyType.Name(p) for n, p in sorted(t.properties.items())},
    }


types = {}
for kind, ts in [('ARTIFACT_TYPE', store.get_artifact_types()), ('EXECUTION_TYPE', store.get_execution_types()),
                 ('CONTEXT_TYPE', store.get_context_types())]:
    for t in ts:
        types[t.id] = type_of(t, kind)


def node(n, kind):
    out = {
        'id': n.id, 'type': types[n.type_id]['name'], 'typeVersion': types[n.type_id]['version'],
        'name': n.name if n.HasField('name') else None, 'externalId': n.external_id if n.HasField('external_id') else None,
        'properties': values(n.properties), 'customProperties': values(n.custom_properties),
    }
    if kind == 'ARTIFACT':
        out['uri'] = n.uri if n.HasField('uri') else None
        out['state'] = pb.Artifact.State.Name(n.state)
    if kind == 'EXECUTION':
        out['lastKnownState'] = pb.Execution.State.Name(n.last_known_state)
    return out


artifacts = store.get_artifacts()
executions = store.get_executions()
contexts = store.get_contexts()
steps = lambda e: [{'index': s.index} if s.HasField('index') else {'key': s.key} for s in e.path.steps]
print(json.dumps({
    'types': sorted(types.values(), key=lambda t: (t['kind'], t['name'])),
    'artifacts': [node(a, 'ARTIFACT') for a in artifacts],
    'executions': [node(x, 'EXECUTION') for x in executions],
    'contexts': [node(c, 'CONTEXT') for c in contexts],
    'events': [{'artifactId': e.artifact_id, 'executionId': e.execution_id, 'type': pb.Event.Type.Name(e.type), 'path': steps(e)}
               for e in store.get_events_by_execution_ids([x.id for x in executions])],
    'attributions': [[c.id, a.id] for c in contexts for a in store.get_artifacts_by_context(c.id)],
    'associations': [[c.id, x.id] for c in contexts for x in store.get_executions_by_context(c.id)],
    'parents': [[c.id, p.id] for c in contexts for p in store.get_parent_contexts_by_context(c.id)],
}))
