"""The differential check of Data Journey's gRPC face: the same fixed sequence of ML
Metadata client calls runs against MLMD's own in-process store (SQLite in a temp file)
and against Data Journey through MetadataStoreClientConfig(host, port), exactly as a TFX
user points the client at a server. Each step's answer (ids mapped to labels in order of
first appearance, per id space; times only as present or not) or error class is printed
as JSON for test/grpc/mlmd-differential.test.ts, which asks them to be equal.

Usage: mlmd_differential.py HOST PORT GROUP"""
import json
import os
import sys
import tempfile

from google.protobuf import json_format
from ml_metadata import errors, metadata_store
from ml_metadata.proto import metadata_store_pb2 as pb
from ml_metadata.proto import metadata_store_service_pb2 as svc

TIME_FIELDS = ('create_time_since_epoch', 'last_update_time_since_epoch', 'milliseconds_since_epoch')


class Ids:
  """Raw ids of one store -> labels, per id space, in order of first appearance."""

  def __init__(self):
    self.spaces = {}

  def label(self, space, raw):
    raw = int(raw)
    labels = self.spaces.setdefault(space, {})
    if raw not in labels:
      labels[raw] = f'{space}#{len(labels) + 1}'
    return labels[raw]


def as_dict(message):
  return json_format.MessageToDict(message, preserving_proto_field_name=True)


def norm_type(ids, t):
  d = as_dict(t)
  d['id'] = ids.label('type', d['id'])
  return d


def norm_node(ids, space, n):
  d = as_dict(n)
  d['id'] = ids.label(space, d['id'])
  if 'type_id' in d:
    d['type_id'] = ids.label('type', d['type_id'])
  for f in TIME_FIELDS:
    if f in d:
      d[f] = 'set'
  return d


class Calls:
  """What a step may use: the store, its id labels, and the raw ids earlier steps kept."""

  def __init__(self, store):
    self.store = store
    self.ids = Ids()
    self.kept = {}

  def type_id(self, raw, keep=None):
    if keep:
      self.kept[keep] = raw
    return self.ids.label('type', raw)

  def types(self, ts):
    return [norm_type(self.ids, t) for t in ts]

  def call(self, method, request, response):
    self.store._call(method, request, response)  # pylint: disable=protected-access
    return response


def artifact_type(name, props=None, **fields):
  t = pb.ArtifactType(name=name, **fields)
  for k, v in (props or {}).items():
    t.properties[k] = v
  return t


def types_group():
  """Types and their evolution: puts, re-puts under the flags, base types, reads."""
  steps = []
  step = lambda name, fn: steps.append((name, fn))
  step('put a new type', lambda c: c.type_id(c.store.put_artifact_type(artifact_type('D', {'a': pb.INT})), 'D'))
  step('re-put the same type', lambda c: c.type_id(c.store.put_artifact_type(artifact_type('D', {'a': pb.INT}))))
  step('add a property without can_add_fields',
       lambda c: c.type_id(c.store.put_artifact_type(artifact_type('D', {'a': pb.INT, 'b': pb.STRING}))))
  step('add a property with can_add_fields',
       lambda c: c.type_id(c.store.put_artifact_type(artifact_type('D', {'a': pb.INT, 'b': pb.STRING}), can_add_fields=True)))
  step('change a property type', lambda c: c.type_id(c.store.put_artifact_type(
      artifact_type('D', {'a': pb.DOUBLE, 'b': pb.STRING}), can_add_fields=True, can_omit_fields=True)))
  step('omit a property without can_omit_fields', lambda c: c.type_id(c.store.put_artifact_type(artifact_type('D', {'a': pb.INT}))))
  step('omit a property with can_omit_fields',
       lambda c: c.type_id(c.store.put_artifact_type(artifact_type('D', {'a': pb.INT}), can_omit_fields=True)))
  step('set a base type once', lambda c: c.type_id(c.store.put_artifact_type(
      artifact_type('D', base_type=pb.ArtifactType.DATASET), can_omit_fields=True)))
  step('change the base type', lambda c: c.type_id(c.store.put_artifact_type(
      artifact_type('D', base_type=pb.ArtifactType.MODEL), can_omit_fields=True)))
  step('unset the base type', lambda c: c.type_id(c.store.put_artifact_type(
      artifact_type('D', base_type=pb.ArtifactType.UNSET), can_omit_fields=True)))
  step('re-put with a description and an external id', lambda c: c.type_id(c.store.put_artifact_type(
      artifact_type('D', description='described later', external_id='ext-d'), can_omit_fields=True)))
  step('read it back by name', lambda c: c.types([c.store.get_artifact_type('D')]))
  step('read by external ids', lambda c: c.types(c.store.get_artifact_types_by_external_ids(['ext-d', 'no-such'])))
  step('re-put without the external id', lambda c: c.type_id(c.store.put_artifact_type(artifact_type('D'), can_omit_fields=True)))
  step('read it back again', lambda c: c.types([c.store.get_artifact_type('D')]))
  step('a new type with every field', lambda c: c.type_id(c.store.put_artifact_type(artifact_type(
      'Model', {'n': pb.INT, 'x': pb.DOUBLE, 's': pb.STRING, 'st': pb.STRUCT, 'b': pb.BOOLEAN},
      description='a model', external_id='ext-m', base_type=pb.ArtifactType.MODEL)), 'Model'))
  step('a version of D', lambda c: c.type_id(c.store.put_artifact_type(artifact_type('D', {'v': pb.STRING}, version='v1')), 'Dv1'))
  step('read the version', lambda c: c.types([c.store.get_artifact_type('D', type_version='v1')]))
  step('read a missing type', lambda c: c.types([c.store.get_artifact_type('no-such')]))
  step('read a missing version', lambda c: c.types([c.store.get_artifact_type('D', type_version='v9')]))
  step('a type without a name', lambda c: c.type_id(c.store.put_artifact_type(pb.ArtifactType())))
  step('a property of UNKNOWN type', lambda c: c.type_id(c.store.put_artifact_type(artifact_type('U', {'u': pb.UNKNOWN}))))
  step('an external id another type holds', lambda c: c.type_id(c.store.put_artifact_type(artifact_type('E', external_id='ext-d'))))
  step('a context type of the same name', lambda c: c.type_id(c.store.put_context_type(pb.ContextType(name='D')), 'ctxD'))
  step('an execution type with a base type', lambda c: c.type_id(c.store.put_execution_type(
      pb.ExecutionType(name='Trainer', base_type=pb.ExecutionType.TRAIN, properties={'epochs': pb.INT})), 'Trainer'))
  step('every artifact type', lambda c: c.types(c.store.get_artifact_types()))
  step('every execution type', lambda c: c.types(c.store.get_execution_types()))
  step('every context type', lambda c: c.types(c.store.get_context_types()))
  step('artifact types by id, with a missing one and another kind', lambda c: c.types(
      c.store.get_artifact_types_by_id([c.kept['Model'], c.kept['D'], c.kept['Trainer'], 987654])))
  step('context types by id', lambda c: c.types(c.store.get_context_types_by_id([c.kept['ctxD'], c.kept['D']])))
  step('execution types by external id', lambda c: c.types(c.store.get_execution_types_by_external_ids(['ext-d'])))
  step('no ids', lambda c: c.types(c.store.get_artifact_types_by_id([])))

  def put_types(c, flags):
    request = svc.PutTypesRequest(**flags)
    request.artifact_types.add().CopyFrom(artifact_type('D', {'a': pb.INT, 'w': pb.STRING}))
    request.artifact_types.add().CopyFrom(artifact_type('Fresh', {'f': pb.INT}))
    request.execution_types.add(name='Trainer', properties={'epochs': pb.INT})
    request.context_types.add(name='Run')
    r = c.call('PutTypes', request, svc.PutTypesResponse())
    return {k: [c.type_id(i) for i in getattr(r, k)] for k in ('artifact_type_ids', 'execution_type_ids', 'context_type_ids')}

  step('PutTypes refused as a whole', lambda c: put_types(c, {}))
  step('nothing of the refused PutTypes was written', lambda c: c.types(c.store.get_artifact_types()))
  step('PutTypes with can_add_fields', lambda c: put_types(c, {'can_add_fields': True}))
  step('PutTypes with can_add_fields and can_omit_fields', lambda c: put_types(c, {'can_add_fields': True, 'can_omit_fields': True}))
  step('every type after PutTypes', lambda c: c.types(c.store.get_artifact_types() + c.store.get_context_types()))
  return steps


GROUPS = {'types': types_group}


def run(store, steps):
  calls = Calls(store)
  out = []
  for name, fn in steps:
    try:
      out.append({'step': name, 'ok': fn(calls)})
    except errors.StatusError as e:
      out.append({'step': name, 'error': type(e).__name__, 'message': str(e)[:300]})
    except (KeyError, IndexError) as e:
      # A step that needs what an earlier step failed to make.
      out.append({'step': name, 'error': f'missing {e}'})
  return out


def main():
  host, port, group = sys.argv[1], int(sys.argv[2]), sys.argv[3]
  folder = tempfile.mkdtemp()
  config = pb.ConnectionConfig()
  config.sqlite.filename_uri = os.path.join(folder, 'mlmd.sqlite')
  config.sqlite.connection_mode = pb.SqliteMetadataSourceConfig.READWRITE_OPENCREATE
  theirs = run(metadata_store.MetadataStore(config), GROUPS[group]())
  ours = run(metadata_store.MetadataStore(pb.MetadataStoreClientConfig(host=host, port=port)), GROUPS[group]())
  print(json.dumps({'ours': ours, 'theirs': theirs}))


if __name__ == '__main__':
  main()
