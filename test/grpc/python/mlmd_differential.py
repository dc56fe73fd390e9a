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


def value(v):
  """A Value message of a Python value: int, float, str, bool, or dict (a Struct)."""
  out = pb.Value()
  if isinstance(v, bool):
    out.bool_value = v
  elif isinstance(v, int):
    out.int_value = v
  elif isinstance(v, float):
    out.double_value = v
  elif isinstance(v, str):
    out.string_value = v
  else:
    out.struct_value.update(v)
  return out


def node(cls, kept_type, c, props=None, custom=None, **fields):
  n = cls(**fields)
  if kept_type is not None:
    n.type_id = c.kept[kept_type]
  for k, v in (props or {}).items():
    n.properties[k].CopyFrom(value(v))
  for k, v in (custom or {}).items():
    n.custom_properties[k].CopyFrom(value(v))
  return n


def nodes_group():
  """Artifacts, executions and contexts: puts, puts by id with and without masks, reads, listing."""
  steps = []
  step = lambda name, fn: steps.append((name, fn))
  art = lambda c, props=None, custom=None, **f: node(pb.Artifact, 'D', c, props, custom, **f)

  def setup(c):
    c.kept['D'] = c.store.put_artifact_type(artifact_type(
        'D', {'n': pb.INT, 's': pb.STRING, 'st': pb.STRUCT, 'x': pb.DOUBLE, 'b': pb.BOOLEAN}))
    c.kept['D2'] = c.store.put_artifact_type(artifact_type('D', {'n': pb.INT}, version='2'))
    c.kept['T'] = c.store.put_execution_type(pb.ExecutionType(name='T', properties={'e': pb.INT}))
    c.kept['R'] = c.store.put_context_type(pb.ContextType(name='R', properties={'owner': pb.STRING}))
    return [c.type_id(c.kept[k]) for k in ('D', 'D2', 'T', 'R')]

  def put(c, space, method, items, keep=None, mask=None):
    ids = getattr(c.store, method)(items, **({'field_mask_paths': mask} if mask else {}))
    if keep:
      for k, i in zip(keep, ids):
        c.kept[k] = i
    return [c.ids.label(space, i) for i in ids]

  def got(c, space, items):
    return [norm_node(c.ids, space, n) for n in items]

  def arts(c, ids):
    return got(c, 'artifact', c.store.get_artifacts_by_id([c.kept.get(i, i) for i in ids]))

  def update_time(c, a):
    return c.store.get_artifacts_by_id([c.kept[a]])[0].last_update_time_since_epoch

  def time_after(c, a, fn):
    before = update_time(c, a)
    fn(c)
    return 'changed' if update_time(c, a) > before else 'same'

  step('types', setup)
  step('put an artifact with every field', lambda c: put(c, 'artifact', 'put_artifacts', [art(
      c, {'n': 3, 's': 'text', 'st': {'k': [1, 'two', None, {'deep': True}]}, 'x': 2.5, 'b': True},
      {'cn': 7, 'cs': 'hello', 'cx': 0.25, 'cb': False, 'cst': {'a': {'b': 'c'}}},
      name='a1', uri='u1', external_id='ext-a1', state=pb.Artifact.LIVE)], keep=['a1']))
  step('read it by id, with a missing id', lambda c: arts(c, ['a1', 987654]))
  step('a second artifact of the same name', lambda c: put(c, 'artifact', 'put_artifacts', [art(c, name='a1')]))
  step('two new artifacts of one name in one call', lambda c: put(c, 'artifact', 'put_artifacts', [art(c, name='twin'), art(c, name='twin')]))
  step('nothing of that call was written', lambda c: [a.name for a in c.store.get_artifacts()])
  step('an unknown type_id', lambda c: put(c, 'artifact', 'put_artifacts', [pb.Artifact(type_id=987654)]))
  step('no type_id', lambda c: put(c, 'artifact', 'put_artifacts', [pb.Artifact(uri='nowhere')]))
  step('an unknown id', lambda c: put(c, 'artifact', 'put_artifacts', [art(c, id=987654)]))
  step('a property the type lacks', lambda c: put(c, 'artifact', 'put_artifacts', [art(c, {'zz': 1})]))
  step('a property of the wrong kind', lambda c: put(c, 'artifact', 'put_artifacts', [art(c, {'n': 'three'})]))
  step('an external id another artifact holds', lambda c: put(c, 'artifact', 'put_artifacts', [art(c, external_id='ext-a1')]))
  step('a put by id replaces the node', lambda c: put(c, 'artifact', 'put_artifacts', [art(c, {'s': 'only'}, id=c.kept['a1'], uri='u2')]))
  step('read the replaced node', lambda c: arts(c, ['a1']))
  step('a put by id cannot rename', lambda c: put(c, 'artifact', 'put_artifacts', [art(c, id=c.kept['a1'], name='renamed', uri='u2')]))
  step('read the node not renamed', lambda c: arts(c, ['a1']))
  step('a put by id without type_id', lambda c: put(c, 'artifact', 'put_artifacts', [pb.Artifact(id=c.kept['a1'], uri='u3', external_id='ext-new')]))
  step('read it after the put without type_id', lambda c: arts(c, ['a1']))
  step('a put by id with a mask', lambda c: put(c, 'artifact', 'put_artifacts', [art(
      c, {'n': 9, 's': 'masked out'}, id=c.kept['a1'], uri='u4', state=pb.Artifact.DELETED)], mask=['uri', 'properties.n']))
  step('read the masked update', lambda c: arts(c, ['a1']))
  step('a mask naming a property the input lacks removes it', lambda c: put(c, 'artifact', 'put_artifacts', [art(c, id=c.kept['a1'])], mask=['properties.n']))
  step('a mask of the whole properties map, and the state', lambda c: put(c, 'artifact', 'put_artifacts', [art(
      c, {'b': False}, {'kept': 'no'}, id=c.kept['a1'], state=pb.Artifact.MARKED_FOR_DELETION)], mask=['properties', 'state']))
  step('read after the whole-map mask', lambda c: arts(c, ['a1']))
  step('a mask path that names nothing', lambda c: put(c, 'artifact', 'put_artifacts', [art(c, id=c.kept['a1'], uri='never')], mask=['nonsense']))
  step('a mask on a new artifact is ignored', lambda c: put(c, 'artifact', 'put_artifacts', [art(c, {'n': 1}, uri='new', name='fresh')], mask=['uri'], keep=['fresh']))
  step('read the new artifact', lambda c: arts(c, ['fresh']))
  step('a put by id of another type', lambda c: put(c, 'artifact', 'put_artifacts', [node(pb.Artifact, 'D2', c, id=c.kept['a1'])]))
  step('an unchanged re-put keeps the update time', lambda c: time_after(c, 'fresh', lambda c: c.store.put_artifacts(c.store.get_artifacts_by_id([c.kept['fresh']]))))
  step('a change moves the update time', lambda c: time_after(c, 'fresh', lambda c: c.store.put_artifacts([art(c, id=c.kept['fresh'], uri='moved')])))
  step('an artifact of the versioned type', lambda c: put(c, 'artifact', 'put_artifacts', [node(pb.Artifact, 'D2', c, {'n': 2}, name='v2')], keep=['v2']))
  step('artifacts by type', lambda c: got(c, 'artifact', c.store.get_artifacts_by_type('D')))
  step('artifacts by type and version', lambda c: got(c, 'artifact', c.store.get_artifacts_by_type('D', type_version='2')))
  step('artifacts of a missing type', lambda c: got(c, 'artifact', c.store.get_artifacts_by_type('no-such')))
  step('artifact by type and name', lambda c: got(c, 'artifact', [c.store.get_artifact_by_type_and_name('D', 'fresh')]))
  step('artifact by type and a missing name', lambda c: repr(c.store.get_artifact_by_type_and_name('D', 'no-such')))
  step('artifacts by external ids', lambda c: got(c, 'artifact', c.store.get_artifacts_by_external_ids(['ext-new', 'no-such'])))
  step('artifacts by missing external ids', lambda c: got(c, 'artifact', c.store.get_artifacts_by_external_ids(['no-such'])))
  step('artifacts by uri', lambda c: got(c, 'artifact', c.store.get_artifacts_by_uri('moved')))
  step('executions', lambda c: put(c, 'execution', 'put_executions', [
      node(pb.Execution, 'T', c, {'e': 1}, {'note': 'x'}, name='run-1', last_known_state=pb.Execution.RUNNING),
      node(pb.Execution, 'T', c)], keep=['x1', 'x2']))
  step('executions by id', lambda c: got(c, 'execution', c.store.get_executions_by_id([c.kept['x2'], c.kept['x1']])))
  step('an execution replaced by id', lambda c: put(c, 'execution', 'put_executions', [node(pb.Execution, 'T', c, id=c.kept['x1'])]))
  step('every execution', lambda c: got(c, 'execution', c.store.get_executions()))
  step('contexts', lambda c: put(c, 'context', 'put_contexts', [node(pb.Context, 'R', c, {'owner': 'me'}, name='r1', external_id='ext-r1')], keep=['r1']))
  step('a context of a taken name', lambda c: put(c, 'context', 'put_contexts', [node(pb.Context, 'R', c, name='r1')]))
  step('a context without a name', lambda c: put(c, 'context', 'put_contexts', [node(pb.Context, 'R', c)]))
  step('contexts by id', lambda c: got(c, 'context', c.store.get_contexts_by_id([c.kept['r1']])))
  step('contexts by type', lambda c: got(c, 'context', c.store.get_contexts_by_type('R')))
  step('context by type and name', lambda c: got(c, 'context', [c.store.get_context_by_type_and_name('R', 'r1')]))
  step('contexts by external ids', lambda c: got(c, 'context', c.store.get_contexts_by_external_ids(['ext-r1'])))
  step('twenty-five more artifacts', lambda c: len(c.store.put_artifacts([art(c, {'n': i}, name=f'many-{i}') for i in range(25)])))
  step('every artifact', lambda c: got(c, 'artifact', c.store.get_artifacts()))
  step('artifacts newest first, five', lambda c: got(c, 'artifact', c.store.get_artifacts(
      list_options=metadata_store.ListOptions(limit=5, order_by=metadata_store.OrderByField.CREATE_TIME, is_asc=False))))
  step('artifacts by id descending, three', lambda c: got(c, 'artifact', c.store.get_artifacts(
      list_options=metadata_store.ListOptions(limit=3, order_by=metadata_store.OrderByField.ID, is_asc=False))))

  def pages(c, options):
    request = svc.GetArtifactsRequest()
    request.options.CopyFrom(options)
    sizes = []
    while True:
      r = c.call('GetArtifacts', request, svc.GetArtifactsResponse())
      sizes.append([c.ids.label('artifact', a.id) for a in r.artifacts])
      if not r.next_page_token:
        return sizes
      request.options.next_page_token = r.next_page_token

  step('pages of ten', lambda c: pages(c, pb.ListOperationOptions(max_result_size=10)))
  step('list options without a size page by twenty', lambda c: pages(c, pb.ListOperationOptions()))
  step('a page size above the ceiling', lambda c: [len(p) for p in pages(c, pb.ListOperationOptions(max_result_size=500))])
  step('a page size of zero', lambda c: pages(c, pb.ListOperationOptions(max_result_size=0)))
  # (Not by update time descending: MLMD's own pages repeat nodes there when times tie.)
  step('pages by create time', lambda c: pages(c, pb.ListOperationOptions(
      max_result_size=12, order_by_field=pb.ListOperationOptions.OrderByField(field=pb.ListOperationOptions.OrderByField.CREATE_TIME))))
  step('pages by id descending', lambda c: pages(c, pb.ListOperationOptions(
      max_result_size=12, order_by_field=pb.ListOperationOptions.OrderByField(field=pb.ListOperationOptions.OrderByField.ID, is_asc=False))))
  step('artifacts by type, paged', lambda c: len(c.call('GetArtifactsByType', svc.GetArtifactsByTypeRequest(
      type_name='D', options=pb.ListOperationOptions(max_result_size=4)), svc.GetArtifactsByTypeResponse()).artifacts))
  return steps


def norm_event(ids, e):
  d = as_dict(e)
  d['artifact_id'] = ids.label('artifact', d['artifact_id'])
  d['execution_id'] = ids.label('execution', d['execution_id'])
  if 'milliseconds_since_epoch' in d and d['milliseconds_since_epoch'] != '12345':
    d['milliseconds_since_epoch'] = 'set'
  return d


def edges_group():
  """Events with paths, attributions and associations, parent contexts, and the reads over them."""
  steps = []
  step = lambda name, fn: steps.append((name, fn))

  def setup(c):
    at = c.store.put_artifact_type(artifact_type('D'))
    et = c.store.put_execution_type(pb.ExecutionType(name='T'))
    ct = c.store.put_context_type(pb.ContextType(name='R'))
    c.kept['a1'], c.kept['a2'], c.kept['a3'] = c.store.put_artifacts([pb.Artifact(type_id=at, uri=f'u{i}') for i in range(3)])
    c.kept['x1'], c.kept['x2'] = c.store.put_executions([pb.Execution(type_id=et), pb.Execution(type_id=et)])
    c.kept['c1'], c.kept['c2'], c.kept['c3'], c.kept['c4'] = c.store.put_contexts([pb.Context(type_id=ct, name=f'c{i}') for i in range(4)])
    return [c.ids.label(space, c.kept[k]) for space, k in (('artifact', 'a1'), ('artifact', 'a2'), ('artifact', 'a3'), ('execution', 'x1'), ('execution', 'x2'),
                                                          ('context', 'c1'), ('context', 'c2'), ('context', 'c3'), ('context', 'c4'))]

  def event(c, a, x, kind, path=None, time=None):
    e = pb.Event(type=kind)
    if a:
      e.artifact_id = c.kept.get(a, 987654)
    if x:
      e.execution_id = c.kept.get(x, 987654)
    for p in path or []:
      if isinstance(p, int):
        e.path.steps.add(index=p)
      else:
        e.path.steps.add(key=p)
    if time is not None:
      e.milliseconds_since_epoch = time
    return e

  def events(c, fn, ids):
    # Sorted: MLMD promises no order of events (its own follows its event table's row ids).
    return sorted((norm_event(c.ids, e) for e in fn([c.kept.get(i, 987654) for i in ids])), key=lambda e: json.dumps(e, sort_keys=True))

  step('nodes', setup)
  step('an input event', lambda c: c.store.put_events([event(c, 'a1', 'x1', pb.Event.INPUT)]))
  step('the same event again', lambda c: c.store.put_events([event(c, 'a1', 'x1', pb.Event.INPUT)]))
  step('the same event with a path', lambda c: c.store.put_events([event(c, 'a1', 'x1', pb.Event.INPUT, ['k', 2])]))
  step('an output event with a path and a time', lambda c: c.store.put_events([event(c, 'a2', 'x1', pb.Event.OUTPUT, ['out', 0, 'deep'], 12345)]))
  step('events of every other type', lambda c: c.store.put_events([
      event(c, 'a3', 'x2', kind) for kind in (pb.Event.DECLARED_INPUT, pb.Event.DECLARED_OUTPUT, pb.Event.INTERNAL_INPUT,
                                               pb.Event.INTERNAL_OUTPUT, pb.Event.PENDING_OUTPUT)]))
  step('an event to an unknown artifact', lambda c: c.store.put_events([event(c, 'nope', 'x1', pb.Event.INPUT)]))
  step('an event to an unknown execution', lambda c: c.store.put_events([event(c, 'a2', 'nope', pb.Event.INPUT)]))
  step('an event without a type', lambda c: c.store.put_events([event(c, 'a2', 'x2', pb.Event.UNKNOWN)]))
  step('an event without an artifact', lambda c: c.store.put_events([event(c, None, 'x2', pb.Event.INPUT)]))
  step('a batch refused as a whole', lambda c: c.store.put_events([event(c, 'a2', 'x2', pb.Event.INPUT), event(c, 'a1', 'x1', pb.Event.INPUT)]))
  # Ids are per kind in both stores (each counts artifacts, executions and contexts from 1), so
  # x1's id names an artifact (a1) and a2's an execution (x2): taken as given, the event joins
  # those, by ML Metadata's own rules; the reads below show it.
  step('an event with its ends swapped: an execution id as artifact_id, an artifact id as execution_id', lambda c: c.store.put_events([
      pb.Event(type=pb.Event.OUTPUT, artifact_id=c.kept['x1'], execution_id=c.kept['a2'])]))
  step('events by artifacts', lambda c: events(c, c.store.get_events_by_artifact_ids, ['a1', 'a2', 'nope']))
  step('events by executions', lambda c: events(c, c.store.get_events_by_execution_ids, ['x1']))
  step('events of the other execution', lambda c: events(c, c.store.get_events_by_execution_ids, ['x2']))
  step('events of an artifact without any', lambda c: events(c, c.store.get_events_by_artifact_ids, ['nope']))
  step('contexts of an artifact in none', lambda c: got_contexts(c, c.store.get_contexts_by_artifact(c.kept['a1'])))
  step('contexts of an execution in none', lambda c: got_contexts(c, c.store.get_contexts_by_execution(c.kept['x1'])))
  step('attributions and associations', lambda c: c.store.put_attributions_and_associations(
      [pb.Attribution(artifact_id=c.kept['a1'], context_id=c.kept['c1']), pb.Attribution(artifact_id=c.kept['a2'], context_id=c.kept['c1']),
       pb.Attribution(artifact_id=c.kept['a1'], context_id=c.kept['c2'])],
      [pb.Association(execution_id=c.kept['x1'], context_id=c.kept['c1'])]))
  step('the same links again', lambda c: c.store.put_attributions_and_associations(
      [pb.Attribution(artifact_id=c.kept['a1'], context_id=c.kept['c1'])], [pb.Association(execution_id=c.kept['x1'], context_id=c.kept['c1'])]))
  step('an attribution to an unknown artifact', lambda c: c.store.put_attributions_and_associations(
      [pb.Attribution(artifact_id=987654, context_id=c.kept['c1'])], []))
  step('an association to an unknown context', lambda c: c.store.put_attributions_and_associations(
      [], [pb.Association(execution_id=c.kept['x1'], context_id=987654)]))
  step('a refused call writes none of its links', lambda c: c.store.put_attributions_and_associations(
      [pb.Attribution(artifact_id=c.kept['a3'], context_id=c.kept['c3'])], [pb.Association(execution_id=c.kept['x2'], context_id=987654)]))
  step('contexts of an artifact', lambda c: got_contexts(c, c.store.get_contexts_by_artifact(c.kept['a1'])))
  step('contexts of the third artifact', lambda c: got_contexts(c, c.store.get_contexts_by_artifact(c.kept['a3'])))
  step('contexts of an execution', lambda c: got_contexts(c, c.store.get_contexts_by_execution(c.kept['x1'])))
  step('contexts of an unknown artifact', lambda c: got_contexts(c, c.store.get_contexts_by_artifact(987654)))
  step('artifacts of a context', lambda c: [norm_node(c.ids, 'artifact', a) for a in c.store.get_artifacts_by_context(c.kept['c1'])])
  step('artifacts of an empty context', lambda c: [norm_node(c.ids, 'artifact', a) for a in c.store.get_artifacts_by_context(c.kept['c4'])])
  step('artifacts of an unknown context', lambda c: [norm_node(c.ids, 'artifact', a) for a in c.store.get_artifacts_by_context(987654)])
  step('executions of a context', lambda c: [norm_node(c.ids, 'execution', x) for x in c.store.get_executions_by_context(c.kept['c1'])])
  step('artifacts of a context, a page of one', lambda c: len(c.call('GetArtifactsByContext', svc.GetArtifactsByContextRequest(
      context_id=c.kept['c1'], options=pb.ListOperationOptions(max_result_size=1)), svc.GetArtifactsByContextResponse()).artifacts))
  parent = lambda c, child, par: pb.ParentContext(child_id=c.kept.get(child, 987654), parent_id=c.kept.get(par, 987654))
  step('parent contexts', lambda c: c.store.put_parent_contexts([parent(c, 'c2', 'c1'), parent(c, 'c3', 'c1'), parent(c, 'c4', 'c2')]))
  step('a parent link again', lambda c: c.store.put_parent_contexts([parent(c, 'c2', 'c1')]))
  step('a parent link twice in one call', lambda c: c.store.put_parent_contexts([parent(c, 'c4', 'c3'), parent(c, 'c4', 'c3')]))
  step('a context its own parent', lambda c: c.store.put_parent_contexts([parent(c, 'c1', 'c1')]))
  step('a cycle', lambda c: c.store.put_parent_contexts([parent(c, 'c1', 'c4')]))
  step('a parent link to an unknown context', lambda c: c.store.put_parent_contexts([parent(c, 'nope', 'c1')]))
  step('parents of a context', lambda c: got_contexts(c, c.store.get_parent_contexts_by_context(c.kept['c4'])))
  step('children of a context', lambda c: got_contexts(c, c.store.get_children_contexts_by_context(c.kept['c1'])))
  step('parents of a root', lambda c: got_contexts(c, c.store.get_parent_contexts_by_context(c.kept['c1'])))
  step('children of an unknown context', lambda c: got_contexts(c, c.store.get_children_contexts_by_context(987654)))
  # (GetParentContextsByContexts and GetChildrenContextsByContexts: ml-metadata 1.17.1's
  # in-process store does not offer them, so test/grpc/grpc-access.test.ts checks them.)
  return steps


def got_contexts(c, contexts):
  return [norm_node(c.ids, 'context', x) for x in contexts]


def put_execution_group():
  """PutExecution with each of its options, and what it links."""
  steps = []
  step = lambda name, fn: steps.append((name, fn))

  def setup(c):
    c.kept['D'] = c.store.put_artifact_type(artifact_type('D', {'n': pb.INT}))
    c.kept['T'] = c.store.put_execution_type(pb.ExecutionType(name='T', properties={'e': pb.INT}))
    c.kept['R'] = c.store.put_context_type(pb.ContextType(name='R', properties={'p': pb.STRING}))
    return [c.type_id(c.kept[k]) for k in ('D', 'T', 'R')]

  def ev(kind, path=None):
    e = pb.Event(type=kind)
    for p in path or []:
      if isinstance(p, int):
        e.path.steps.add(index=p)
      else:
        e.path.steps.add(key=p)
    return e

  def put(c, execution, pairs, contexts, keep=None, **options):
    x, arts, ctxs = c.store.put_execution(execution, pairs, contexts, **options)
    if keep:
      c.kept[keep] = x
      for i, a in enumerate(arts):
        c.kept[f'{keep}.a{i}'] = a
      for i, k in enumerate(ctxs):
        c.kept[f'{keep}.c{i}'] = k
    return {'execution': c.ids.label('execution', x), 'artifacts': [c.ids.label('artifact', a) for a in arts],
            'contexts': [c.ids.label('context', k) for k in ctxs]}

  x = lambda c, **f: node(pb.Execution, 'T', c, **f)
  a = lambda c, **f: node(pb.Artifact, 'D', c, **f)
  r = lambda c, **f: node(pb.Context, 'R', c, **f)

  def around(c, key):
    xid = c.kept[key]
    contexts = c.store.get_contexts_by_execution(xid)
    return {
        'contexts': [norm_node(c.ids, 'context', k) for k in contexts],
        'artifacts of the first context': [norm_node(c.ids, 'artifact', n) for n in c.store.get_artifacts_by_context(contexts[0].id)],
        'executions of the first context': [norm_node(c.ids, 'execution', n) for n in c.store.get_executions_by_context(contexts[0].id)],
        'events': sorted((norm_event(c.ids, e) for e in c.store.get_events_by_execution_ids([xid])), key=lambda e: json.dumps(e, sort_keys=True)),
    }

  def update_time(c, key):
    return c.store.get_executions_by_id([c.kept[key]])[0].last_update_time_since_epoch

  def time_after(c, key, fn):
    before = update_time(c, key)
    fn(c)
    return 'changed' if update_time(c, key) > before else 'same'

  step('types', setup)
  step('an execution with an input, an output and a context', lambda c: put(c, x(c, props={'e': 1}, name='train-1'), [
      (a(c, uri='in', props={'n': 1}), ev(pb.Event.INPUT)),
      (a(c, uri='out', external_id='model-1'), ev(pb.Event.OUTPUT, ['model', 0])),
      (a(c, uri='bystander'), None)], [r(c, name='run-1', props={'p': 'x'})], keep='first'))
  step('what it linked', lambda c: around(c, 'first'))
  step('the same context name without reuse', lambda c: put(c, x(c), [], [r(c, name='run-1')]))
  step('nothing of the refused call was written', lambda c: len(c.store.get_executions()))
  step('the same context name with reuse_context_if_already_exist', lambda c: put(c, x(c, name='train-2'), [
      (a(c, uri='in2'), ev(pb.Event.INPUT))], [r(c, name='run-1', props={'p': 'x'})], keep='second', reuse_context_if_already_exist=True))
  step('what the reuse linked', lambda c: around(c, 'second'))
  step('the execution updated by id with a known artifact and a new output', lambda c: put(c, x(
      c, id=c.kept['first'], last_known_state=pb.Execution.COMPLETE, props={'e': 2}), [
      (a(c, id=c.kept['first.a0'], uri='in'), None), (a(c, uri='late-out'), ev(pb.Event.OUTPUT))], [], keep='first-again'))
  step('what the update linked', lambda c: around(c, 'first'))
  step('an artifact whose external id exists, without the option', lambda c: put(c, x(c), [(a(c, external_id='model-1'), ev(pb.Event.INPUT))], []))
  step('an artifact whose external id exists, with the option', lambda c: put(c, x(c, name='eval'), [(a(c, external_id='model-1'), ev(pb.Event.INPUT))], [r(c, name='run-2')],
                                                                              keep='eval', reuse_artifact_if_already_exist_by_external_id=True))
  step('what the external id reuse linked', lambda c: around(c, 'eval'))
  step('an unchanged execution keeps its update time', lambda c: time_after(c, 'eval', lambda c: c.store.put_execution(
      c.store.get_executions_by_id([c.kept['eval']])[0], [], [])))
  step('force_update_time moves it', lambda c: time_after(c, 'eval', lambda c: c.store.put_execution(
      c.store.get_executions_by_id([c.kept['eval']])[0], [], [], force_update_time=True)))
  step('an event without a type', lambda c: put(c, x(c), [(a(c), ev(pb.Event.UNKNOWN))], []))
  step('an execution of an unknown type', lambda c: put(c, pb.Execution(type_id=987654), [], []))
  step('an artifact of an unknown type', lambda c: put(c, x(c), [(pb.Artifact(type_id=987654), ev(pb.Event.INPUT))], []))
  step('every execution', lambda c: [norm_node(c.ids, 'execution', n) for n in c.store.get_executions()])
  step('every artifact', lambda c: [norm_node(c.ids, 'artifact', n) for n in c.store.get_artifacts()])
  step('every context', lambda c: [norm_node(c.ids, 'context', n) for n in c.store.get_contexts()])
  return steps


def lineage_graph_of(c, g):
  """A LineageGraph with ids as labels. MLMD promises no order for any of its lists (they
  come from hash sets and per-hop batches), so each is sorted; every node was labelled when
  it was made, so labels do not depend on the order of an answer."""
  key = lambda d: json.dumps(d, sort_keys=True)
  out = {
      'artifacts': sorted((norm_node(c.ids, 'artifact', n) for n in g.artifacts), key=key),
      'executions': sorted((norm_node(c.ids, 'execution', n) for n in g.executions), key=key),
      'contexts': sorted((norm_node(c.ids, 'context', n) for n in g.contexts), key=key),
      'events': sorted((norm_event(c.ids, e) for e in g.events), key=key),
      'artifact_types': sorted(t.name for t in g.artifact_types),
      'execution_types': sorted(t.name for t in g.execution_types),
      'context_types': sorted(t.name for t in g.context_types),
      'attributions': sorted(f"{c.ids.label('artifact', l.artifact_id)}@{c.ids.label('context', l.context_id)}" for l in g.attributions),
      'associations': sorted(f"{c.ids.label('execution', l.execution_id)}@{c.ids.label('context', l.context_id)}" for l in g.associations),
  }
  return {k: v for k, v in out.items() if v}


def lineage_subgraph_group():
  """GetLineageSubgraph over a graph of several runs: from artifacts and from executions,
  each direction, hop counts, ending filters, read masks, and the refusals.

  The graph (-> an INPUT or OUTPUT event; => DECLARED_OUTPUT), runs as contexts:
    run-1: a1 -> x1 -> a2
    run-2: a2 -> x2 -> a3, and a1 -> x2
    run-3: a3 -> x3 -> a4, x3 => a5
    (none): a4 -> x4 -> a6;  a7 alone;  110 artifacts bulk-0.. alone
  """
  steps = []
  step = lambda name, fn: steps.append((name, fn))
  O = pb.LineageSubgraphQueryOptions

  def setup(c):
    c.kept['D'] = c.store.put_artifact_type(artifact_type('D', {'n': pb.INT}))
    c.kept['T'] = c.store.put_execution_type(pb.ExecutionType(name='T'))
    c.kept['R'] = c.store.put_context_type(pb.ContextType(name='R'))
    c.type_id(c.kept['D']), c.type_id(c.kept['T']), c.type_id(c.kept['R'])
    a = lambda k: node(pb.Artifact, 'D', c, uri=k, name=k) if k not in c.kept else pb.Artifact(id=c.kept[k], type_id=c.kept['D'], uri=k, name=k)
    ev = lambda t: pb.Event(type=t)

    def run(x, pairs, context):
      xid, arts, ctxs = c.store.put_execution(node(pb.Execution, 'T', c, name=x), [(a(k), ev(t)) for k, t in pairs],
                                              [node(pb.Context, 'R', c, name=context)] if context else [], reuse_context_if_already_exist=True)
      c.kept[x] = xid
      c.ids.label('execution', xid)
      for (k, _), aid in zip(pairs, arts):
        c.kept[k] = aid
        c.ids.label('artifact', aid)
      for k in ctxs:
        c.ids.label('context', k)
    run('x1', [('a1', pb.Event.INPUT), ('a2', pb.Event.OUTPUT)], 'run-1')
    run('x2', [('a2', pb.Event.INPUT), ('a1', pb.Event.INPUT), ('a3', pb.Event.OUTPUT)], 'run-2')
    run('x3', [('a3', pb.Event.INPUT), ('a4', pb.Event.OUTPUT), ('a5', pb.Event.DECLARED_OUTPUT)], 'run-3')
    run('x4', [('a4', pb.Event.INPUT), ('a6', pb.Event.OUTPUT)], None)
    for aid in c.store.put_artifacts([node(pb.Artifact, 'D', c, uri='a7')] + [node(pb.Artifact, 'D', c, uri=f'bulk-{i}') for i in range(110)]):
      c.ids.label('artifact', aid)
    return 'built'

  def get(c, start, hops=None, direction=None, ending_artifacts=None, ending_executions=None, mask=None):
    options = O(max_num_hops=hops, direction=direction)
    if start is not None:
      kind, text = start
      getattr(options, f'starting_{kind}').filter_query = text
    if ending_artifacts is not None:
      options.ending_artifacts.CopyFrom(ending_artifacts)
    if ending_executions is not None:
      options.ending_executions.CopyFrom(ending_executions)
    return lineage_graph_of(c, c.store.get_lineage_subgraph(options, mask))

  step('the graph', setup)
  directions = [('upstream', O.UPSTREAM), ('downstream', O.DOWNSTREAM), ('bidirectional', O.BIDIRECTIONAL), ('unset', None)]
  for dname, d in directions:
    for hops in (0, 1, 2, 5, 100, 1000, None):
      step(f'from a3, {dname}, {hops} hops', lambda c, d=d, hops=hops: get(c, ('artifacts', 'uri = "a3"'), hops, d))
  for dname, d in directions:
    for hops in (1, 2, 3, None):
      step(f'from x2, {dname}, {hops} hops', lambda c, d=d, hops=hops: get(c, ('executions', 'name = "x2"'), hops, d))
  step('from two artifacts at once', lambda c: get(c, ('artifacts', 'uri = "a1" OR uri = "a6"'), 2, O.BIDIRECTIONAL))
  step('from an artifact without events', lambda c: get(c, ('artifacts', 'uri = "a7"'), 3))
  step('ending at x3, without the ending nodes', lambda c: get(
      c, ('artifacts', 'uri = "a1"'), 10, O.DOWNSTREAM, ending_executions=O.EndingNodes(filter_query='name = "x3"')))
  step('ending at x3, with the ending nodes', lambda c: get(
      c, ('artifacts', 'uri = "a1"'), 10, O.DOWNSTREAM, ending_executions=O.EndingNodes(filter_query='name = "x3"', include_ending_nodes=True)))
  step('ending at a3 both ways, with the ending nodes', lambda c: get(
      c, ('executions', 'name = "x1"'), 10, O.BIDIRECTIONAL, ending_artifacts=O.EndingNodes(filter_query='uri = "a3"', include_ending_nodes=True)))
  step('an ending filter that takes the starting node', lambda c: get(
      c, ('artifacts', 'uri = "a2" OR uri = "a4"'), 3, None, ending_artifacts=O.EndingNodes(filter_query='uri = "a4"', include_ending_nodes=True)))
  step('an ending filter that takes the starting node, left out', lambda c: get(
      c, ('artifacts', 'uri = "a2" OR uri = "a4"'), 3, None, ending_artifacts=O.EndingNodes(filter_query='uri = "a4"')))
  step('ending filters on both kinds', lambda c: get(
      c, ('artifacts', 'uri = "a3"'), 100, O.BIDIRECTIONAL, ending_artifacts=O.EndingNodes(filter_query='uri = "a1"', include_ending_nodes=True),
      ending_executions=O.EndingNodes(filter_query='name = "x4"')))
  for mask in (['events'], ['artifacts', 'contexts'], ['artifact_types'], ['execution_types', 'context_types'],
               ['associations', 'attributions'], ['executions', 'events', 'artifact_types']):
    step(f'read mask {mask}', lambda c, mask=mask: get(c, ('artifacts', 'uri = "a2"'), 2, O.BIDIRECTIONAL, mask=mask))
  step('starting from a context name', lambda c: get(c, ('artifacts', 'contexts_a.name = "run-2"'), 1, O.UPSTREAM))
  step('starting from executions of a context', lambda c: get(c, ('executions', 'contexts_r.name = "run-3"'), 2, O.DOWNSTREAM))
  step('starting from an event type', lambda c: get(c, ('artifacts', 'events_0.type = DECLARED_OUTPUT'), 2, O.UPSTREAM))
  step('more than 101 starting nodes: the first 101 by id', lambda c: [a['uri'] for a in get(c, ('artifacts', 'uri LIKE "bulk-%"'), 2)['artifacts']])
  step('a blank ending filter', lambda c: get(c, ('artifacts', 'uri = "a2"'), 2, ending_executions=O.EndingNodes(filter_query='', include_ending_nodes=True)))
  step('no starting node', lambda c: get(c, None, 2))
  step('a blank starting filter', lambda c: get(c, ('artifacts', ''), 2))
  step('a starting filter that matches nothing', lambda c: get(c, ('artifacts', 'uri = "nothing"'), 2))
  step('a malformed starting filter', lambda c: get(c, ('artifacts', 'uri = '), 2))
  step('a malformed ending filter', lambda c: get(c, ('artifacts', 'uri = "a1"'), 2, ending_executions=O.EndingNodes(filter_query='name ==')))
  step('negative hops', lambda c: get(c, ('artifacts', 'uri = "a1"'), -1))
  return steps


def put_lineage_subgraph_group():
  """PutLineageSubgraph: nodes, edges by index and by id, the two reuse options, every
  refusal of its event edges, and what it links (read back through lineage and contexts)."""
  steps = []
  step = lambda name, fn: steps.append((name, fn))
  O = pb.LineageSubgraphQueryOptions

  def setup(c):
    c.kept['D'] = c.store.put_artifact_type(artifact_type('D', {'n': pb.INT}))
    c.kept['T'] = c.store.put_execution_type(pb.ExecutionType(name='T'))
    c.kept['R'] = c.store.put_context_type(pb.ContextType(name='R'))
    return [c.type_id(c.kept[k]) for k in ('D', 'T', 'R')]

  a = lambda c, **f: node(pb.Artifact, 'D', c, **f)
  x = lambda c, **f: node(pb.Execution, 'T', c, **f)
  r = lambda c, **f: node(pb.Context, 'R', c, **f)

  def ev(kind, path=None, **ids):
    e = pb.Event(type=kind, **ids)
    for p in path or []:
      e.path.steps.add(key=p)
    return e

  def put(c, executions, artifacts, contexts, edges, keep=None, **options):
    xs, arts, ctxs = c.store.put_lineage_subgraph(executions, artifacts, contexts, edges, **options)
    if keep:
      for prefix, ids in (('x', xs), ('a', arts), ('c', ctxs)):
        for i, raw in enumerate(ids):
          c.kept[f'{keep}.{prefix}{i}'] = raw
    return {'executions': [c.ids.label('execution', i) for i in xs], 'artifacts': [c.ids.label('artifact', i) for i in arts],
            'contexts': [c.ids.label('context', i) for i in ctxs]}

  def count(c):
    return [len(c.store.get_executions()), len(c.store.get_artifacts()), len(c.store.get_contexts())]

  def lineage(c, uri):
    return lineage_graph_of(c, c.store.get_lineage_subgraph(O(starting_artifacts=O.StartingNodes(filter_query=f'uri = "{uri}"'), max_num_hops=10)))

  step('types', setup)
  step('a run of two steps in one call', lambda c: put(
      c, [x(c, name='train'), x(c, name='eval')], [a(c, uri='data'), a(c, uri='model', external_id='model-1'), a(c, uri='metrics')],
      [r(c, name='run-1'), r(c, name='pipeline')],
      [(0, 0, ev(pb.Event.INPUT)), (0, 1, ev(pb.Event.OUTPUT, ['model'])), (1, 1, ev(pb.Event.INPUT)), (1, 2, ev(pb.Event.OUTPUT))], keep='first'))
  step('its lineage', lambda c: lineage(c, 'data'))
  step('every execution and artifact in every context', lambda c: {
      'artifacts': sorted(norm_node(c.ids, 'artifact', n)['id'] for n in c.store.get_artifacts_by_context(c.kept['first.c1'])),
      'executions': sorted(norm_node(c.ids, 'execution', n)['id'] for n in c.store.get_executions_by_context(c.kept['first.c0']))})
  step('the same context name without reuse', lambda c: put(c, [x(c, name='again')], [], [r(c, name='run-1')], []))
  step('nothing of the refused call was written', count)
  step('the same context name with reuse', lambda c: put(c, [x(c, name='again')], [a(c, uri='more')], [r(c, name='run-1')],
                                                         [(0, 0, ev(pb.Event.OUTPUT))], keep='reuse', reuse_context_if_already_exist=True))
  step('artifacts of the reused context', lambda c: sorted(norm_node(c.ids, 'artifact', n)['id'] for n in c.store.get_artifacts_by_context(c.kept['first.c0'])))
  step('an external id that exists, without reuse', lambda c: put(c, [], [a(c, external_id='model-1')], [], []))
  step('an external id that exists, with reuse', lambda c: put(c, [x(c, name='deploy')], [a(c, external_id='model-1', uri='model')], [],
                                                              [(0, 0, ev(pb.Event.INPUT))], keep='ext', reuse_artifact_if_already_exist_by_external_id=True))
  step('edges by existing ids, no index', lambda c: put(c, [x(c, name='report')], [], [], [
      (0, None, ev(pb.Event.INPUT, artifact_id=c.kept['first.a2'])), (None, None, ev(pb.Event.INPUT, artifact_id=c.kept['first.a0'], execution_id=c.kept['first.x1']))],
      keep='byid'))
  step('the lineage of the metrics now', lambda c: lineage(c, 'metrics'))
  step('an index and the same id', lambda c: put(c, [], [pb.Artifact(id=c.kept['first.a2'], type_id=c.kept['D'], uri='metrics', custom_properties={'v': pb.Value(int_value=2)})], [],
                                                 [(None, 0, ev(pb.Event.OUTPUT, artifact_id=c.kept['first.a2'], execution_id=c.kept['first.x0']))]))
  step('an index and another id', lambda c: put(c, [x(c, id=c.kept['first.x0'], name='train')], [], [],
                                                [(0, None, ev(pb.Event.OUTPUT, artifact_id=c.kept['first.a2'], execution_id=c.kept['first.x1']))]))
  step('an index to a new node and an id', lambda c: put(c, [x(c, name='new')], [], [],
                                                         [(0, None, ev(pb.Event.OUTPUT, artifact_id=c.kept['first.a2'], execution_id=c.kept['first.x1']))]))
  step('an execution index out of range', lambda c: put(c, [x(c)], [a(c)], [], [(1, 0, ev(pb.Event.INPUT))]))
  step('an artifact index out of range', lambda c: put(c, [x(c)], [a(c)], [], [(0, 3, ev(pb.Event.INPUT))]))
  step('a negative index', lambda c: put(c, [x(c)], [a(c)], [], [(-1, 0, ev(pb.Event.INPUT))]))
  step('an edge without an execution', lambda c: put(c, [x(c)], [a(c)], [], [(None, 0, ev(pb.Event.INPUT))]))
  step('an edge without an artifact', lambda c: put(c, [x(c)], [a(c)], [], [(0, None, ev(pb.Event.INPUT))]))
  step('an edge without an event', lambda c: put(c, [x(c)], [a(c)], [], [(0, 0, None)]))
  # (An event naming an id no node has: ML Metadata stores it, dangling; Data Journey
  # refuses it, INVALID_ARGUMENT naming the field. test/grpc/grpc-lineage.test.ts checks it.)
  step('an event of no type', lambda c: put(c, [x(c)], [a(c)], [], [(0, 0, ev(pb.Event.UNKNOWN))]))
  step('an event that exists', lambda c: put(c, [], [], [], [(None, None, ev(pb.Event.INPUT, artifact_id=c.kept['first.a0'], execution_id=c.kept['first.x0']))]))
  step('the same event twice in one call', lambda c: put(c, [x(c, name='twice')], [a(c)], [], [(0, 0, ev(pb.Event.INPUT)), (0, 0, ev(pb.Event.INPUT))]))
  step('an execution of an unknown type', lambda c: put(c, [pb.Execution(type_id=987654)], [], [], []))
  step('an artifact with an unknown id', lambda c: put(c, [], [a(c, id=987654)], [], []))
  step('nothing of the refusals was written', count)
  step('an empty call', lambda c: put(c, [], [], [], []))
  step('every execution', lambda c: [norm_node(c.ids, 'execution', n) for n in c.store.get_executions()])
  step('every artifact', lambda c: [norm_node(c.ids, 'artifact', n) for n in c.store.get_artifacts()])
  step('every context', lambda c: [norm_node(c.ids, 'context', n) for n in c.store.get_contexts()])
  step('every event', lambda c: sorted((norm_event(c.ids, e) for e in c.store.get_events_by_execution_ids([n.id for n in c.store.get_executions()])),
                                       key=lambda e: json.dumps(e, sort_keys=True)))
  return steps


def filters_group():
  """filter_query on every listing that takes ListOperationOptions, with pages and orders,
  over a small graph with properties, contexts, parent contexts and events; and malformed
  filters, which both refuse as InvalidArgument."""
  steps = []
  step = lambda name, fn: steps.append((name, fn))
  kinds = {'artifact': ('GetArtifacts', svc.GetArtifactsRequest, svc.GetArtifactsResponse, 'artifacts'),
           'execution': ('GetExecutions', svc.GetExecutionsRequest, svc.GetExecutionsResponse, 'executions'),
           'context': ('GetContexts', svc.GetContextsRequest, svc.GetContextsResponse, 'contexts')}

  def setup(c):
    ds = c.store.put_artifact_type(artifact_type('Dataset', {'rows': pb.INT, 'split': pb.STRING, 'score': pb.DOUBLE, 'ok': pb.BOOLEAN}))
    md = c.store.put_artifact_type(artifact_type('Model', {'lr': pb.DOUBLE}))
    tr = c.store.put_execution_type(pb.ExecutionType(name='Trainer', properties={'epochs': pb.INT}))
    ev = c.store.put_execution_type(pb.ExecutionType(name='Evaluator'))
    pl = c.store.put_context_type(pb.ContextType(name='Pipeline'))
    rn = c.store.put_context_type(pb.ContextType(name='Run', properties={'note': pb.STRING}))

    def a(t, name, props=None, custom=None, **f):
      n = pb.Artifact(type_id=t, name=name, **f)
      for k, v in (props or {}).items():
        n.properties[k].CopyFrom(value(v))
      for k, v in (custom or {}).items():
        n.custom_properties[k].CopyFrom(value(v))
      return n
    arts = [
        a(ds, 'Train-A', {'rows': 10, 'split': 'train', 'score': 0.25, 'ok': True}, {'team': 'x', 'odd key': 7}, uri='gs://b/a', state=pb.Artifact.LIVE),
        a(ds, 'train-b', {'rows': 20, 'split': 'TRAIN', 'score': 0.75, 'ok': False}, {'team': 'y', 'flag': True}, uri='gs://b/b', state=pb.Artifact.PENDING),
        a(ds, 'TEST_c', {'rows': 30, 'split': 'test'}, {'team': 'X'}, uri='s3://c', state=pb.Artifact.LIVE, external_id='ext-c'),
        a(ds, 'x%y', {'split': '100%'}, {'odd key': -3}, state=pb.Artifact.DELETED),
        a(md, 'm1', {'lr': 0.125}, {'shape': {'k': 1}}, uri='gs://m/1', state=pb.Artifact.LIVE),
        a(md, 'm2', {'lr': 0.5}, {'flag': False}, state=pb.Artifact.PENDING),
    ] + [a(ds, f'bulk-{i:02}', {'rows': 100 + i, 'split': 'bulk' if i % 2 else 'Bulk'}) for i in range(22)]
    ids = c.store.put_artifacts(arts)
    for n, i in zip(arts, ids):
      c.kept[n.name] = i
    xs = [pb.Execution(type_id=tr, name='e1', last_known_state=pb.Execution.COMPLETE), pb.Execution(type_id=tr, name='e2', last_known_state=pb.Execution.RUNNING),
          pb.Execution(type_id=ev, name='e3', last_known_state=pb.Execution.FAILED)]
    xs[0].properties['epochs'].int_value = 5
    xs[1].properties['epochs'].int_value = 50
    for n, i in zip(xs, c.store.put_executions(xs)):
      c.kept[n.name] = i
    cs = [pb.Context(type_id=pl, name='p1'), pb.Context(type_id=rn, name='r1'), pb.Context(type_id=rn, name='r2'), pb.Context(type_id=rn, name='r3')]
    cs[1].properties['note'].string_value = 'nightly build'
    cs[2].properties['note'].string_value = 'Nightly'
    for n, i in zip(cs, c.store.put_contexts(cs)):
      c.kept[n.name] = i
    k = c.kept
    c.store.put_attributions_and_associations(
        [pb.Attribution(artifact_id=k[x], context_id=k[r]) for r, x in (('r1', 'Train-A'), ('r1', 'train-b'), ('r1', 'm1'), ('r2', 'train-b'), ('r2', 'TEST_c'), ('r2', 'm2'), ('r3', 'x%y'))],
        [pb.Association(execution_id=k[x], context_id=k[r]) for r, x in (('r1', 'e1'), ('r1', 'e3'), ('r2', 'e2'))])
    c.store.put_parent_contexts([pb.ParentContext(child_id=k['r1'], parent_id=k['p1']), pb.ParentContext(child_id=k['r2'], parent_id=k['p1'])])
    c.store.put_events([pb.Event(artifact_id=k[x], execution_id=k[e], type=t) for x, e, t in (
        ('Train-A', 'e1', pb.Event.INPUT), ('m1', 'e1', pb.Event.OUTPUT), ('train-b', 'e2', pb.Event.INPUT), ('m2', 'e2', pb.Event.OUTPUT),
        ('m1', 'e3', pb.Event.INPUT), ('TEST_c', 'e3', pb.Event.INPUT))])
    return len(ids)

  def listed(c, kind, query, size=None, order=None, asc=True):
    """Every page of one filter (each page's labels), through the raw RPC so the pages show."""
    method, request_cls, response_cls, field = kinds[kind]
    request = request_cls()
    request.options.filter_query = query(c) if callable(query) else query
    if size is not None:
      request.options.max_result_size = size
    if order is not None:
      request.options.order_by_field.field = order
      request.options.order_by_field.is_asc = asc
    pages = []
    while True:
      r = c.call(method, request, response_cls())
      pages.append([c.ids.label(kind, n.id) for n in getattr(r, field)])
      if not r.next_page_token:
        return pages
      request.options.next_page_token = r.next_page_token

  step('the graph', setup)
  ARTIFACT_FILTERS = [
      "name = 'Train-A'", "name = 'train-a'", "name LIKE 'train%'", "name LIKE 'TRAIN-_'", "name NOT LIKE '%a'", "name LIKE 'x_y'",
      'name IS NULL', 'name IS NOT NULL', "name IN ('m1', 'm2', 'nope')", "name NOT IN ('m1')", "name > 'm'", "uri LIKE 'gs://%'",
      "uri IS NULL", "external_id = 'ext-c'", 'external_id IS NULL', "type = 'Model'", "type LIKE 'mod%'", "type != 'Dataset'",
      'state = LIVE', 'state IN (PENDING, DELETED)', 'state NOT IN (LIVE, PENDING)', 'create_time_since_epoch > 0',
      'properties.rows.int_value > 15', 'properties.rows.int_value IN (10, 30)', "properties.rows.int_value = 10 OR name = 'm1'",
      "properties.split.string_value = 'train'", "properties.split.string_value LIKE 'TR%'", "properties.split.string_value LIKE 'bulk'",
      'properties.score.double_value < 0.5', 'properties.ok.bool_value = true', 'properties.ok.bool_value != true',
      'properties.lr.double_value > 0.2', 'properties.rows.int_value IS NULL', 'properties.rows.int_value IS NOT NULL',
      'NOT (properties.rows.int_value = 10)', "custom_properties.team.string_value = 'x'", "custom_properties.team.string_value LIKE 'x'",
      'custom_properties.`odd key`.int_value < 0', 'custom_properties.flag.bool_value = true', 'custom_properties.flag.bool_value IS NOT NULL',
      "contexts_a.name = 'r1'", "contexts_a.type = 'Run'", "contexts_a.name = 'r1' AND contexts_b.name = 'r2'", "contexts_a.name != 'r1'",
      "NOT (contexts_a.name = 'r1')", "contexts_a.name LIKE 'R%'", "name = 'm2' OR contexts_a.name = 'r3'",
      'events_0.type = OUTPUT', 'events_0.type = INPUT AND events_1.type = OUTPUT', 'events_0.type IN (INPUT)', 'NOT (events_0.type = INPUT)',
      "type = 'Dataset' AND (contexts_a.type = 'Run' AND contexts_a.name = 'r1') AND (properties.rows.int_value = 10 OR custom_properties.team.string_value = 'y')",
      "(name = 'm1' OR name = 'm2') AND NOT (state = PENDING)", "name = 'm1' OR name = 'm2' AND state = PENDING", "name like 'm%' and NOT (uri is null)",
      # m1's `shape` is a Struct: the join finds its row whatever the value's kind, so the
      # other side of the OR decides (found by the random differential's long run).
      "name = 'm1' OR custom_properties.shape.int_value = 1", "name LIKE 'M%' OR custom_properties.shape.bool_value = true",
  ]
  for f in ARTIFACT_FILTERS:
    step(f'artifacts where {f}', lambda c, f=f: listed(c, 'artifact', f))
  step('artifacts by id', lambda c: listed(c, 'artifact', lambda c: f"id = {c.kept['TEST_c']} OR id IN ({c.kept['m1']}, {c.kept['m2']})"))
  step('artifacts by an event to e3', lambda c: listed(c, 'artifact', lambda c: f"events_0.execution_id = {c.kept['e3']}"))
  for f in ['last_known_state = COMPLETE', 'last_known_state IN (FAILED, RUNNING)', 'properties.epochs.int_value >= 5', 'properties.epochs.int_value > 5',
            "type = 'Evaluator'", "type LIKE 't%'", "contexts_r.name = 'r1'", 'events_x.type = OUTPUT AND events_y.type = INPUT',
            "NOT (contexts_r.type = 'Run')", 'name IS NULL']:
    step(f'executions where {f}', lambda c, f=f: listed(c, 'execution', f))
  for f in ["parent_contexts_p.name = 'p1'", "child_contexts_c.name = 'r1'", "child_contexts_c.type = 'Run'", "type = 'Run' AND properties.note.string_value LIKE '%night%'",
            "properties.note.string_value = 'Nightly'", "type = 'Pipeline' OR parent_contexts_p.name = 'p1'", "name IN ('r1', 'r3')",
            "NOT (parent_contexts_p.name = 'p1')"]:
    step(f'contexts where {f}', lambda c, f=f: listed(c, 'context', f))
  step('pages of five of a filter', lambda c: listed(c, 'artifact', "type = 'Dataset'", size=5))
  step('pages of four, by id descending', lambda c: listed(c, 'artifact', "properties.split.string_value LIKE 'bulk'", size=4,
                                                         order=pb.ListOperationOptions.OrderByField.ID, asc=False))
  step('pages of six, by create time', lambda c: listed(c, 'artifact', 'properties.rows.int_value > 15', size=6,
                                                       order=pb.ListOperationOptions.OrderByField.CREATE_TIME))
  step('a filter without a page size', lambda c: listed(c, 'artifact', "name LIKE 'bulk%'"))

  def by_type(c, type_name, query, size=None):
    request = svc.GetArtifactsByTypeRequest(type_name=type_name)
    request.options.filter_query = query
    if size:
      request.options.max_result_size = size
    return [c.ids.label('artifact', n.id) for n in c.call('GetArtifactsByType', request, svc.GetArtifactsByTypeResponse()).artifacts]

  step('artifacts by type, filtered', lambda c: by_type(c, 'Dataset', 'properties.rows.int_value < 25'))
  step('artifacts by type, filtered by another type', lambda c: by_type(c, 'Dataset', "type = 'Model'"))
  step('executions by type, filtered', lambda c: [c.ids.label('execution', n.id) for n in c.call('GetExecutionsByType', svc.GetExecutionsByTypeRequest(
      type_name='Trainer', options=pb.ListOperationOptions(filter_query="contexts_a.name = 'r1'")), svc.GetExecutionsByTypeResponse()).executions])
  step('contexts by type, filtered', lambda c: [c.ids.label('context', n.id) for n in c.call('GetContextsByType', svc.GetContextsByTypeRequest(
      type_name='Run', options=pb.ListOperationOptions(filter_query="properties.note.string_value LIKE 'night%'")), svc.GetContextsByTypeResponse()).contexts])
  step('artifacts of a context, filtered', lambda c: [c.ids.label('artifact', n.id) for n in c.call('GetArtifactsByContext', svc.GetArtifactsByContextRequest(
      context_id=c.kept['r1'], options=pb.ListOperationOptions(filter_query="type = 'Dataset'")), svc.GetArtifactsByContextResponse()).artifacts])
  step('executions of a context, filtered', lambda c: [c.ids.label('execution', n.id) for n in c.call('GetExecutionsByContext', svc.GetExecutionsByContextRequest(
      context_id=c.kept['r1'], options=pb.ListOperationOptions(filter_query='last_known_state = FAILED')), svc.GetExecutionsByContextResponse()).executions])
  step("the client's get_artifacts with a filter", lambda c: [c.ids.label('artifact', n.id) for n in c.store.get_artifacts(
      list_options=metadata_store.ListOptions(filter_query="state = LIVE AND uri LIKE 'gs:%'"))])

  def token_under(c, first, then, **options):
    request = svc.GetArtifactsRequest(options=pb.ListOperationOptions(max_result_size=3, filter_query=first))
    token = c.call('GetArtifacts', request, svc.GetArtifactsResponse()).next_page_token
    request = svc.GetArtifactsRequest(options=pb.ListOperationOptions(max_result_size=3, filter_query=then, next_page_token=token, **options))
    r = c.call('GetArtifacts', request, svc.GetArtifactsResponse())
    return [c.ids.label('artifact', n.id) for n in r.artifacts], bool(r.next_page_token)

  step('a page token carried on under another filter', lambda c: token_under(c, "type = 'Dataset'", "name LIKE 'bulk%'"))
  step('a page token carried on without the filter', lambda c: token_under(c, "type = 'Dataset'", ''))
  step('a page token carried on under another order', lambda c: token_under(
      c, "type = 'Dataset'", "type = 'Dataset'", order_by_field=pb.ListOperationOptions.OrderByField(field=pb.ListOperationOptions.OrderByField.ID, is_asc=False)))
  for f in ["name = 'x' AND", "(name = 'x'", "name = 'x')", 'name = ', "name == 'x'", "colour = 'red'", "id = 'one'",
            'state = BOGUS', "name LIKE 'x' LIKE 'y'", 'properties.rows.int_value > 1.5.2', 'last_known_state = COMPLETE']:
    step(f'a malformed filter: {f}', lambda c, f=f: listed(c, 'artifact', f))
  step('a malformed execution filter', lambda c: listed(c, 'execution', "uri = 'x'"))
  step('a malformed filter by type', lambda c: by_type(c, 'Dataset', "name = 'x' AND"))
  # (Not by a type without artifacts: MLMD answers an empty list there without reading the
  # filter, where Data Journey refuses it; README, "Differences that remain".)
  step('a malformed filter by a missing type', lambda c: by_type(c, 'no-such', "name = 'x' AND", size=5))
  return steps


def proto_values_group():
  """PROTO: a type property of that kind, proto_value as typed and custom properties (bytes no
  text keeps), read back byte for byte, refusals of the wrong kind, a masked update."""
  steps = []
  step = lambda name, fn: steps.append((name, fn))

  def any_of(type_url, value):
    out = pb.Value()
    out.proto_value.type_url = type_url
    out.proto_value.value = value
    return out

  packed = pb.Value()
  packed.proto_value.Pack(pb.Artifact(name='packed', uri='s3://packed'))
  card = packed
  blob = any_of('example.com/x.Blob', b'\x00\xff\xfe\x80 raw \xed\xa0\x80')

  def with_values(n, props=None, custom=None):
    for k, v in (props or {}).items():
      n.properties[k].CopyFrom(v)
    for k, v in (custom or {}).items():
      n.custom_properties[k].CopyFrom(v)
    return n

  def values(props):
    out = {}
    for k, v in sorted(props.items()):
      which = v.WhichOneof('value')
      if which == 'proto_value':
        out[k] = {'type_url': v.proto_value.type_url, 'value': v.proto_value.value.hex()}
      else:
        out[k] = {which: str(getattr(v, which))}
    return out

  def read(c, space, nodes):
    return [{'id': c.ids.label(space, n.id), 'properties': values(n.properties), 'custom_properties': values(n.custom_properties)} for n in nodes]

  def setup(c):
    t = artifact_type('Packed', {'card': pb.PROTO, 'n': pb.INT})
    c.kept['P'] = c.store.put_artifact_type(t)
    c.kept['X'] = c.store.put_execution_type(pb.ExecutionType(name='PackedRun', properties={'card': pb.PROTO}))
    c.kept['C'] = c.store.put_context_type(pb.ContextType(name='PackedSet', properties={'card': pb.PROTO}))
    return [c.type_id(c.kept[k]) for k in ('P', 'X', 'C')]

  def put_art(c, n, keep=None, mask=None):
    ids = c.store.put_artifacts([n], **({'field_mask_paths': mask} if mask else {}))
    if keep:
      c.kept[keep] = ids[0]
    return [c.ids.label('artifact', i) for i in ids]

  art = lambda c, props=None, custom=None, **f: with_values(pb.Artifact(type_id=c.kept['P'], **f), props, custom)
  step('types with a PROTO property', setup)
  step('the type read back', lambda c: c.types([c.store.get_artifact_type('Packed')]))
  step('every execution and context type', lambda c: c.types(c.store.get_execution_types() + c.store.get_context_types()))
  step('an artifact with a PROTO property and PROTO custom properties', lambda c: put_art(c, art(
      c, {'card': card, 'n': value(3)}, {'blob': blob, 'empty': any_of('t/empty', b''), 'zero': any_of('t/zero', b'\x00')}, name='a1'), keep='a1'))
  step('read back byte for byte', lambda c: read(c, 'artifact', c.store.get_artifacts_by_id([c.kept['a1']])))
  step('the packed message unpacks', lambda c: (lambda a: (a.Unpack(m := pb.Artifact()), m.name, m.uri)[1:])(
      c.store.get_artifacts_by_id([c.kept['a1']])[0].properties['card'].proto_value))
  step('a large PROTO value', lambda c: put_art(c, art(c, custom={'big': any_of('t/big', bytes(range(256)) * 1024)}, name='big'), keep='big'))
  step('the large value read back', lambda c: [len(a.custom_properties['big'].proto_value.value) for a in c.store.get_artifacts_by_id([c.kept['big']])])
  step('a string for a PROTO property', lambda c: put_art(c, art(c, {'card': value('text')})))
  step('a PROTO value for an INT property', lambda c: put_art(c, art(c, {'n': blob})))
  step('the type evolved to STRUCT for its PROTO property', lambda c: c.store.put_artifact_type(artifact_type('Packed', {'card': pb.STRUCT, 'n': pb.INT})))
  step('a put by id with a mask on the PROTO property', lambda c: put_art(c, art(c, {'card': blob, 'n': value(9)}, id=c.kept['a1']), mask=['properties.card']))
  step('read after the masked put', lambda c: read(c, 'artifact', c.store.get_artifacts_by_id([c.kept['a1']])))
  step('a put by id replacing the custom PROTO values', lambda c: put_art(c, art(c, {'card': card}, {'blob': any_of('t/other', b'\x01')}, id=c.kept['a1'])))
  step('read after the replacement', lambda c: read(c, 'artifact', c.store.get_artifacts_by_id([c.kept['a1']])))
  step('artifacts by type', lambda c: read(c, 'artifact', c.store.get_artifacts_by_type('Packed')))
  def reput_unchanged(c):
    before = c.store.get_artifacts_by_id([c.kept['a1']])[0]
    c.store.put_artifacts([before])
    return 'changed' if c.store.get_artifacts_by_id([c.kept['a1']])[0].last_update_time_since_epoch > before.last_update_time_since_epoch else 'same'
  step('an unchanged re-put (PROTO values; read back with uri "") keeps the update time', reput_unchanged)
  step('an execution and a context with PROTO values', lambda c: (
      [c.ids.label('execution', i) for i in c.store.put_executions([with_values(pb.Execution(type_id=c.kept['X']), {'card': card}, {'b': blob})])],
      [c.ids.label('context', i) for i in c.store.put_contexts([with_values(pb.Context(type_id=c.kept['C'], name='s'), {'card': blob}, {'b': card})])]))
  step('executions and contexts read back', lambda c: read(c, 'execution', c.store.get_executions()) + read(c, 'context', c.store.get_contexts()))
  return steps


GROUPS = {'types': types_group, 'nodes': nodes_group, 'edges': edges_group, 'put_execution': put_execution_group,
          'lineage_subgraph': lineage_subgraph_group, 'put_lineage_subgraph': put_lineage_subgraph_group,
          'filters': filters_group, 'proto_values': proto_values_group}


def run(store, steps):
  calls = Calls(store)
  out = []
  for name, fn in steps:
    try:
      out.append({'step': name, 'ok': fn(calls)})
    except errors.StatusError as e:
      out.append({'step': name, 'error': type(e).__name__, 'message': str(e)[:300]})
    except Exception as e:  # pylint: disable=broad-except
      # A step that needs what an earlier step failed to make: recorded, so the run goes on.
      out.append({'step': name, 'error': f'python {type(e).__name__}: {e}'})
  return out


def main():
  host, port, group = sys.argv[1], int(sys.argv[2]), sys.argv[3]
  folder = tempfile.mkdtemp()
  config = pb.ConnectionConfig()
  config.sqlite.filename_uri = os.path.join(folder, 'mlmd.sqlite')
  config.sqlite.connection_mode = pb.SqliteMetadataSourceConfig.READWRITE_OPENCREATE
  theirs = run(metadata_store.MetadataStore(config), GROUPS[group]())
  ours = run(metadata_store.MetadataStore(pb.MetadataStoreClientConfig(host=host, port=port)), GROUPS[group]())
  print(json.dumps({'ours': ours, 'theirs': theirs}), flush=True)


if __name__ == '__main__':
  main()
  # Without waiting for gRPC's channel threads, which can hold an exiting interpreter.
  os._exit(0)
