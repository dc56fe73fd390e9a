"""The random differential check of Data Journey's gRPC face: a seed draws a sequence of
ML Metadata client calls (types and their evolution, node puts and re-puts, edges,
put_execution with its options, reads, listing; filters and lineage when asked), which
runs against MLMD's own in-process store (SQLite in a temp file) and against Data Journey
through MetadataStoreClientConfig(host, port). Each step's answer (ids mapped to labels
per id space in order of first appearance, times only as present) or error class is
printed for test/grpc/mlmd-random-differential.test.ts, which asks them to be equal.

Each step is drawn from the seed and from what MLMD's store took of the steps before
(so that most choices refer to things that exist), then the same steps run against
Data Journey: both stores get the same calls. A step names the nodes and types it uses by handle (a3 = the fourth artifact the
sequence asked for); each store resolves a handle to the raw id its own put answered,
or to an id that exists nowhere (MISSING) when that put was refused there.

Usage: mlmd_random_differential.py HOST FAMILIES STEPS SEED...
For each seed it prints {"want_server": SEED} and reads the port of a Data Journey gRPC
server over an empty store (id counters from 1) on stdin; then prints the seed's result
as one JSON line. FAMILIES is a comma-separated list of FAMILIES' keys."""
import json
import os
import random
import sys
import tempfile

from ml_metadata import errors, metadata_store
from ml_metadata.proto import metadata_store_pb2 as pb
from ml_metadata.proto import metadata_store_service_pb2 as svc

# The fixed differential's normalisation, shared rather than copied.
from mlmd_differential import Calls, as_dict, norm_event, norm_node, norm_type, value

MISSING = 987654
SPACES = {'artifact': pb.Artifact, 'execution': pb.Execution, 'context': pb.Context}
TYPE_CLASSES = {'artifact': pb.ArtifactType, 'execution': pb.ExecutionType, 'context': pb.ContextType}
# Deliberate differences, pinned here so the sequences keep to what both sides answer
# alike (each listed in the README's differences, with its reason):
# - PROTO property types and proto_value are refused by Data Journey: no PROTO kind.
# - integers beyond ±(2^53-1) are refused naming the field (JSON numbers are doubles in
#   JavaScript): INT values stay within, up to the bounds themselves.
# - a custom DOUBLE with a whole value comes back as int_value (custom properties keep no
#   kind), and a typed one is taken where an INT is declared (the wire's double reaches
#   the service as a number like any other): no double is whole.
# - doubles keep every digit; MLMD's SQLite store writes them into its SQL as text, and
#   1.5e-300 comes back 0: no double that small.
# - an empty name, external_id or description is taken as none (MLMD keeps it, set and
#   empty, and reads it back as ""): none is set to "".
# - a property and a custom property of one name: on an update MLMD's store loses the
#   property (it matches stored rows by name alone), Data Journey keeps both: custom
#   property names are never those of the types' properties.
# - a NUL in a string: MLMD's SQLite store cuts the text at it, Data Journey keeps it
#   whole: no string holds one.
# - a node that put_execution reuses (a context by name or by id under force_reuse_context,
#   an artifact by external id) is taken unchecked by MLMD, or checked after the reuse;
#   Data Journey checks the input first: such calls carry no fault.
# - MLMD's pages by LAST_UPDATE_TIME can come back round forever where update times tie:
#   that ordering is asked for one page only.
# - a put by id names the node's own type: with another type_id, MLMD's refusal comes
#   before its other checks, Data Journey's after them.
# - under an update_mask MLMD checks only the fields the mask names; Data Journey checks
#   the whole input: a masked put carries no fault.
# - a type's external id is unique among the types of its kind (MLMD: among all types):
#   the pool of type external ids is per kind.
# - where MLMD's SQLite store answers INTERNAL for a UNIQUE constraint that its own checks
#   missed (an external id taken by an update, a type's external id taken by a type of
#   another kind), Data Journey answers ALREADY_EXISTS: see reference_answer. So too where
#   MLMD's put_execution, told to reuse contexts, meets a new context name whose external
#   id another context holds: MLMD answers ABORTED ("concurrent creation ... retry"), but
#   nothing ran concurrently and a retry fails the same way.
PROPERTY_KINDS = [pb.INT, pb.DOUBLE, pb.STRING, pb.STRUCT, pb.BOOLEAN]
EXACT_INT = 2**53 - 1
BASE_TYPES = {
    'artifact': [pb.ArtifactType.DATASET, pb.ArtifactType.MODEL, pb.ArtifactType.METRICS, pb.ArtifactType.STATISTICS],
    'execution': [pb.ExecutionType.TRAIN, pb.ExecutionType.TRANSFORM, pb.ExecutionType.PROCESS, pb.ExecutionType.EVALUATE],
}
EVENT_TYPES = [pb.Event.INPUT, pb.Event.OUTPUT, pb.Event.DECLARED_INPUT, pb.Event.DECLARED_OUTPUT,
               pb.Event.INTERNAL_INPUT, pb.Event.INTERNAL_OUTPUT, pb.Event.PENDING_OUTPUT]
# Hostile strings: unicode beyond the BMP, long, quotes. Empty text is a value, a uri
# and a lookup key only; a NUL in none (deliberate differences, pinned, see PROPERTY_KINDS).
HOSTILE = ['ünïcødé ✓ 😀', 'L' * 255, "quo'te \"double\" `back`"]
TEXTS = ['text', '', 'L' * 1000, *HOSTILE]
URIS = ['u1', 'u2', 'gs://b/x', '', 'L' * 1000, *HOSTILE]


class Sequence:
  """The generator's record of what the sequence asked for so far, and which of its handles
  ML Metadata's store took (`taken`: handle -> raw id there), so that choices refer to
  nodes and types that exist most of the time."""

  def __init__(self, rng, taken):
    self.rng = rng
    self.taken = taken
    self.types = {k: [] for k in TYPE_CLASSES}  # kind -> [{'h', 'name', 'version', 'props'}]
    self.nodes = {k: [] for k in SPACES}  # space -> [{'h', 'type', 'name'}]
    self.steps = []
    self.faults_left = 1
    self.faulty = False  # whether the call being drawn has a fault
    self.faulted = []  # per step: whether a fault was put in it

  def chance(self, p):
    return self.rng.random() < p

  def fault(self, p):
    """Whether to put a fault in the call being drawn (a missing node, a wrong kind...):
    one at most per call. A call with two faults may be refused for either, and which
    check comes first is no part of the interface (MLMD's order follows its code paths)."""
    if self.faults_left == 0 or not self.chance(p):
      return False
    self.faults_left -= 1
    self.faulty = True
    return True

  def pick(self, items):
    return self.rng.choice(items)

  def new_handle(self, space):
    prefix = {'artifact': 'a', 'execution': 'x', 'context': 'c', 'type': 't'}[space]
    count = sum(len(v) for v in self.types.values()) if space == 'type' else len(self.nodes[space])
    return f'{prefix}{count}'

  def existing(self, items):
    """The items MLMD took; now and then (or when it took none) any item asked for."""
    taken = [i for i in items if i['h'] in self.taken]
    return taken if taken and not self.fault(0.05) else items

  def chosen(self, item):
    # An item MLMD did not take is a missing node or type: a fault of the call.
    if item['h'] not in self.taken:
      self.faulty = True
    return item

  def some_type(self, kind, missing=0.03):
    """A type handle of `kind` asked for earlier, now and then another kind's or none at all."""
    if self.fault(missing) or not self.types[kind]:
      other = [t for k, ts in self.types.items() if k != kind for t in ts]
      return self.pick(other) if other and self.chance(0.5) else None
    return self.chosen(self.pick(self.existing(self.types[kind])))

  def some_node(self, space, missing=0.03, among=None):
    """A node handle of `space` (of its first `among`), or None for a node that exists nowhere."""
    items = self.nodes[space][:among]
    if self.fault(missing) or not items:
      return None
    return self.chosen(self.pick(self.existing(items)))

  def step(self, family, call, fn):
    self.steps.append((family, call, fn))
    self.faulted.append(self.faulty)


def raw(c, item):
  """The raw id this store gave the handle's put, or MISSING."""
  return MISSING if item is None else c.kept.get(item['h'], MISSING)


def labels(c, space, ids):
  return [c.ids.label(space, i) for i in ids]


def keep(c, items, ids):
  for item, i in zip(items, ids):
    if item is not None:
      c.kept[item['h']] = i


def short(text):
  return text if len(text) <= 24 else f'{text[:12]}…({len(text)} chars)'


# ---------------------------------------------------------------- types

def types_family(s):
  kind = s.pick(list(TYPE_CLASSES))
  r = s.rng.random()
  if r < 0.55:
    # A put: a name from a small pool, so re-puts and evolutions are frequent.
    name = s.pick(['A', 'B', 'C', ''] if s.chance(0.1) else ['A', 'B', 'C'])
    version = s.pick([None, None, None, 'v1', 'v2'])
    known = next((t for t in s.types[kind] if t['name'] == name and t['version'] == version), None)
    props = dict(known['props']) if known and s.chance(0.6) else {}
    for _ in range(s.rng.randint(0, 2)):
      props[s.pick(['p', 'q', 'r', 's'])] = s.pick([pb.UNKNOWN] if s.fault(0.03) else PROPERTY_KINDS)
    if props and s.chance(0.2):
      del props[s.pick(sorted(props))]
    fields = {'name': name}
    if version:
      fields['version'] = version
    if s.chance(0.2):
      fields['description'] = s.pick(['described', *HOSTILE])
    if s.chance(0.25):
      # Per kind: Data Journey keeps a type's external id unique among types of its kind,
      # MLMD among all types (a deliberate difference, see PROPERTY_KINDS).
      fields['external_id'] = s.pick([f'ext-{kind}-1', f'ext-{kind}-2', f'ext-{kind}-{name}'])
    if kind in BASE_TYPES and s.chance(0.3):
      fields['base_type'] = s.pick(BASE_TYPES[kind] + [0])
    flags = {k: True for k in ('can_add_fields', 'can_omit_fields') if s.chance(0.4)}
    if known is None:
      t = {'h': s.new_handle('type'), 'name': name, 'version': version, 'props': props}
      s.types[kind].append(t)
    else:
      t = known
      if flags.get('can_add_fields'):
        known['props'] = {**props, **known['props']}

    def put(c):
      message = TYPE_CLASSES[kind](**fields)
      for k, v in props.items():
        message.properties[k] = v
      i = getattr(c.store, f'put_{kind}_type')(message, **flags)
      # The first put of the name that a store takes gives the handle its id there.
      c.kept.setdefault(t['h'], i)
      return c.ids.label('type', i)
    s.step('types', f'put_{kind}_type({fields}, properties={props}, {flags})', put)
  elif r < 0.65:
    flags = {k: True for k in ('can_add_fields', 'can_omit_fields') if s.chance(0.5)}
    chosen = {k: [(s.pick(['A', 'B', 'D']), {s.pick(['p', 'q']): s.pick(PROPERTY_KINDS)}) for _ in range(s.rng.randint(0, 2))]
              for k in TYPE_CLASSES}
    handles = {k: [] for k in TYPE_CLASSES}
    for k, ts in chosen.items():
      for name, props in ts:
        t = next((t for t in s.types[k] if t['name'] == name and t['version'] is None), None)
        if t is None:
          t = {'h': s.new_handle('type'), 'name': name, 'version': None, 'props': dict(props)}
          s.types[k].append(t)
        handles[k].append(t)

    def put_types(c):
      request = svc.PutTypesRequest(**flags)
      for k, ts in chosen.items():
        for name, props in ts:
          getattr(request, f'{k}_types').add(name=name, properties=props)
      response = c.call('PutTypes', request, svc.PutTypesResponse())
      for k in TYPE_CLASSES:
        for t, i in zip(handles[k], getattr(response, f'{k}_type_ids')):
          c.kept.setdefault(t['h'], i)
      return {k: labels(c, 'type', getattr(response, f'{k}_type_ids')) for k in TYPE_CLASSES}
    s.step('types', f'PutTypes({chosen}, {flags})', put_types)
  elif r < 0.75:
    name, version = s.pick(['A', 'B', 'C', 'none']), s.pick([None, None, 'v1', 'v9'])
    s.step('types', f'get_{kind}_type({name!r}, {version!r})', lambda c: c.types([getattr(c.store, f'get_{kind}_type')(
        name, **({'type_version': version} if version else {}))]))
  elif r < 0.85:
    s.step('types', f'get_{kind}_types()', lambda c: c.types(getattr(c.store, f'get_{kind}_types')()))
  elif r < 0.93:
    chosen = [s.some_type(s.pick(list(TYPE_CLASSES)), 0.15) for _ in range(s.rng.randint(0, 3))]
    s.step('types', f'get_{kind}_types_by_id({[t and t["h"] for t in chosen]})',
           lambda c: c.types(getattr(c.store, f'get_{kind}_types_by_id')([raw(c, t) for t in chosen])))
  else:
    ext = [s.pick([f'ext-{kind}-1', f'ext-{kind}-2', f'ext-{kind}-A', 'none']) for _ in range(s.rng.randint(1, 2))]
    s.step('types', f'get_{kind}_types_by_external_ids({ext})',
           lambda c: c.types(getattr(c.store, f'get_{kind}_types_by_external_ids')(ext)))


# ---------------------------------------------------------------- nodes

def property_value(s, kind, custom=False):
  """A value of `kind`, or now and then of another kind (a refusal)."""
  if s.fault(0.03):
    kind = s.pick(PROPERTY_KINDS)
  if kind == pb.INT:
    return s.pick([0, -1, 7, EXACT_INT, -EXACT_INT])
  if kind == pb.DOUBLE:
    return s.pick([0.5, -2.25, 0.001, 2.5e-5])
  if kind == pb.STRING:
    return s.pick(TEXTS)
  if kind == pb.STRUCT:
    return s.pick([{'k': [1, 'two', None]}, {}, {'deep': {'er': True}}])
  return s.pick([True, False])


def to_value(v):
  if v == {}:
    # An empty Struct, still set: a Value with no kind set stops MLMD's process (a CHECK).
    out = pb.Value()
    out.struct_value.SetInParent()
    return out
  return value(v)


def node_fields(s, space, t):
  """What a node put sets: properties drawn from the type as the sequence asked for it."""
  fields, props, custom = {}, {}, {}
  for name, kind in (t or {}).get('props', {}).items():
    if s.chance(0.6):
      props[name] = property_value(s, kind)
  if s.fault(0.04):
    props[s.pick(['zz', 'p'])] = property_value(s, s.pick(PROPERTY_KINDS), custom=True)  # perhaps one the type lacks
  for _ in range(s.rng.randint(0, 2)):
    custom[s.pick(['c1', 'c2'])] = property_value(s, s.pick(PROPERTY_KINDS), custom=True)
  if space == 'context' or s.chance(0.4):
    fields['name'] = s.pick(['n1', 'n2', 'n3', 'n4', 'n5', 'n6', *HOSTILE] if s.chance(0.15) else ['n1', 'n2', 'n3', 'n4', 'n5', 'n6'])
  if space == 'artifact' and s.chance(0.6):
    fields['uri'] = s.pick(URIS)
  if s.chance(0.2):
    fields['external_id'] = s.pick(['e1', 'e2', 'e3'])
  if space == 'artifact' and s.chance(0.3):
    fields['state'] = s.pick([pb.Artifact.PENDING, pb.Artifact.LIVE, pb.Artifact.DELETED, pb.Artifact.MARKED_FOR_DELETION])
  if space == 'execution' and s.chance(0.3):
    fields['last_known_state'] = s.pick([pb.Execution.NEW, pb.Execution.RUNNING, pb.Execution.COMPLETE, pb.Execution.FAILED, pb.Execution.CACHED])
  return fields, props, custom


def build_node(c, space, t, fields, props, custom, target=False):
  """The node message: `t` False for no type_id, `target` False for no id (None: a missing one)."""
  n = SPACES[space](**fields)
  if t is not False:
    n.type_id = raw(c, t)
  if target is not False:
    n.id = raw(c, target)
  for k, v in props.items():
    n.properties[k].CopyFrom(to_value(v))
  for k, v in custom.items():
    n.custom_properties[k].CopyFrom(to_value(v))
  return n


def describe_node(t, fields, props, custom, target=False):
  shown = {k: short(v) if isinstance(v, str) else v for k, v in fields.items()}
  return (f'{{type: {t and t["h"]}, {shown}, props: {sorted(props)}, custom: {sorted(custom)}'
          + (f', id of {target and target["h"]}' if target is not False else '') + '}')


def nodes_family(s):
  space = s.pick(list(SPACES))
  items, described, builds = [], [], []
  count = len(s.nodes[space])
  masked = count and s.chance(0.3)
  if masked:
    # Under a mask MLMD checks only the fields the mask names, Data Journey the whole
    # input: a masked put carries no fault (a deliberate difference, see PROPERTY_KINDS).
    s.faults_left = 0
  for _ in range(s.rng.randint(1, 3)):
    by_id = count and s.chance(0.35)
    # A node this call puts is not there yet: by id, only earlier ones.
    target = s.some_node(space, 0.1, among=count) if by_id else False
    if by_id:
      # The node's own type: MLMD refuses another type_id before the other checks of a
      # put by id, Data Journey after them (which check comes first is pinned, not compared).
      t = target['type'] if target is not None else s.some_type(space)
    else:
      t = s.some_type(space)
      if s.fault(0.02):
        t = False  # no type_id at all
    fields, props, custom = node_fields(s, space, t)
    if by_id:
      items.append(None)
    else:
      item = {'h': s.new_handle(space), 'type': t, 'name': fields.get('name')}
      s.nodes[space].append(item)
      items.append(item)
    described.append(describe_node(t, fields, props, custom, target))
    builds.append((t, fields, props, custom, target))
  mask = None
  if masked and any(b[4] is not False for b in builds):
    mask = s.rng.sample(['uri', 'name', 'external_id', 'properties', 'custom_properties', 'properties.p', 'properties.q',
                         'custom_properties.c1', 'state', 'last_known_state', 'nonsense'], s.rng.randint(1, 3))

  def put(c):
    nodes = [build_node(c, space, *b) for b in builds]
    ids = getattr(c.store, f'put_{space}s')(nodes, **({'field_mask_paths': mask} if mask else {}))
    keep(c, items, ids)
    return labels(c, space, ids)
  s.step('nodes', f'put_{space}s([{", ".join(described)}], mask={mask})', put)


# ---------------------------------------------------------------- edges

def event_of(s, a, x):
  kind = s.pick([pb.Event.UNKNOWN] if s.fault(0.05) else EVENT_TYPES)
  path = [s.pick(['k', 0, 3, 'out']) for _ in range(s.rng.randint(0, 2))] if s.chance(0.4) else []
  time = s.pick([None, None, 12345])
  return kind, path, time


def build_event(c, a, x, kind, path, time):
  e = pb.Event(type=kind)
  if a is not False:
    e.artifact_id = raw(c, a)
  if x is not False:
    e.execution_id = raw(c, x)
  for p in path:
    if isinstance(p, int):
      e.path.steps.add(index=p)
    else:
      e.path.steps.add(key=p)
  if time is not None:
    e.milliseconds_since_epoch = time
  return e


def edges_family(s):
  r = s.rng.random()
  if r < 0.5:
    events = []
    for _ in range(s.rng.randint(1, 3)):
      a, x = s.some_node('artifact'), s.some_node('execution')
      if s.fault(0.03):
        a = False
      events.append((a, x, *event_of(s, a, x)))
    if len(events) > 1 and s.chance(0.15):
      events.append(events[0])  # a duplicate within one call
    shown = [(a and a['h'], x and x['h'], k, p) for a, x, k, p, _ in events]
    s.step('edges', f'put_events({shown})', lambda c: c.store.put_events([build_event(c, *e) for e in events]))
  elif r < 0.8:
    attributions = [(s.some_node('artifact'), s.some_node('context')) for _ in range(s.rng.randint(0, 3))]
    associations = [(s.some_node('execution'), s.some_node('context')) for _ in range(s.rng.randint(0, 2))]
    shown = ([(a and a['h'], k and k['h']) for a, k in attributions], [(x and x['h'], k and k['h']) for x, k in associations])
    s.step('edges', f'put_attributions_and_associations{shown}', lambda c: c.store.put_attributions_and_associations(
        [pb.Attribution(artifact_id=raw(c, a), context_id=raw(c, k)) for a, k in attributions],
        [pb.Association(execution_id=raw(c, x), context_id=raw(c, k)) for x, k in associations]))
  else:
    # Parent links among few contexts, so self links, duplicates and cycles come up.
    links = [(s.some_node('context'), s.some_node('context')) for _ in range(s.rng.randint(1, 3))]
    shown = [(k and k['h'], p and p['h']) for k, p in links]
    s.step('edges', f'put_parent_contexts(child, parent: {shown})', lambda c: c.store.put_parent_contexts(
        [pb.ParentContext(child_id=raw(c, k), parent_id=raw(c, p)) for k, p in links]))


# ---------------------------------------------------------------- put_execution

def put_execution_family(s):
  options = {k: True for k in ('reuse_context_if_already_exist', 'reuse_artifact_if_already_exist_by_external_id',
                               'force_reuse_context', 'force_update_time') if s.chance(0.3)}
  if any(options.get(k) for k in ('reuse_context_if_already_exist', 'reuse_artifact_if_already_exist_by_external_id', 'force_reuse_context')):
    # A node MLMD reuses is taken as it stands, its input unchecked or checked after the
    # reuse; Data Journey checks the input first: a call that reuses carries no fault
    # (pinned, see PROPERTY_KINDS).
    s.faults_left = 0
  by_id = s.nodes['execution'] and s.chance(0.25)
  target = s.some_node('execution', 0.1) if by_id else False
  xt = target['type'] if by_id and target is not None else s.some_type('execution')
  xb = (xt, *node_fields(s, 'execution', xt), target)
  x_item = None
  if not by_id:
    x_item = {'h': s.new_handle('execution'), 'type': xt, 'name': xb[1].get('name')}
    s.nodes['execution'].append(x_item)
  pairs = []
  for _ in range(s.rng.randint(0, 3)):
    reuse = s.nodes['artifact'] and s.chance(0.3)
    atarget = s.some_node('artifact', 0.1) if reuse else False
    at = atarget['type'] if reuse and atarget is not None else s.some_type('artifact')
    fields, props, custom = node_fields(s, 'artifact', at)
    item = None
    if not reuse:
      item = {'h': s.new_handle('artifact'), 'type': at, 'name': fields.get('name')}
      s.nodes['artifact'].append(item)
    ev = event_of(s, None, None) if s.chance(0.8) else None
    pairs.append((item, (at, fields, props, custom, atarget), ev))
  contexts = []
  for _ in range(s.rng.randint(0, 2)):
    reuse = s.nodes['context'] and s.chance(0.2)
    ktarget = s.some_node('context', 0.1) if reuse else False
    kt = ktarget['type'] if reuse and ktarget is not None else s.some_type('context')
    fields, props, custom = node_fields(s, 'context', kt)
    item = None
    if not reuse:
      item = {'h': s.new_handle('context'), 'type': kt, 'name': fields.get('name')}
      s.nodes['context'].append(item)
    contexts.append((item, (kt, fields, props, custom, ktarget)))

  def put(c):
    pair_messages = []
    for _, build, ev in pairs:
      artifact = build_node(c, 'artifact', *build)
      event = None
      if ev is not None:
        event = pb.Event(type=ev[0])
        for p in ev[1]:
          (event.path.steps.add(index=p) if isinstance(p, int) else event.path.steps.add(key=p))
      pair_messages.append((artifact, event))
    x, arts, ctxs = c.store.put_execution(build_node(c, 'execution', *xb), pair_messages,
                                          [build_node(c, 'context', *b) for _, b in contexts], **options)
    keep(c, [x_item], [x])
    keep(c, [p[0] for p in pairs], arts)
    keep(c, [k[0] for k in contexts], ctxs)
    return {'execution': c.ids.label('execution', x), 'artifacts': labels(c, 'artifact', arts), 'contexts': labels(c, 'context', ctxs)}
  shown = (describe_node(*xb), [describe_node(*b) + f' event {ev and ev[0]}' for _, b, ev in pairs],
           [describe_node(*b) for _, b in contexts], options)
  s.step('put_execution', f'put_execution{shown}', put)


# ---------------------------------------------------------------- reads

def nodes_of(c, space, items):
  return [norm_node(c.ids, space, n) for n in items]


def sorted_events(c, events):
  # Sorted: MLMD promises no order of events.
  return sorted((norm_event(c.ids, e) for e in events), key=lambda e: json.dumps(e, sort_keys=True))


def reads_family(s):
  space = s.pick(list(SPACES))
  r = s.rng.random()
  if r < 0.2:
    chosen = [s.some_node(space, 0.15) for _ in range(s.rng.randint(0, 3))]
    s.step('reads', f'get_{space}s_by_id({[n and n["h"] for n in chosen]})',
           lambda c: nodes_of(c, space, getattr(c.store, f'get_{space}s_by_id')([raw(c, n) for n in chosen])))
  elif r < 0.35:
    t = s.some_type(space, 0.1)
    name, version = (t['name'], t['version']) if t else ('none', None)
    s.step('reads', f'get_{space}s_by_type({name!r}, {version!r})', lambda c: nodes_of(c, space, getattr(c.store, f'get_{space}s_by_type')(
        name, **({'type_version': version} if version else {}))))
  elif r < 0.45:
    t = s.some_type(space, 0.1)
    type_name = t['name'] if t else 'none'
    name = s.pick(['n1', 'n2', 'n3', 'n7', ''])
    s.step('reads', f'get_{space}_by_type_and_name({type_name!r}, {name!r})', lambda c: nodes_of(c, space, [
        n for n in [getattr(c.store, f'get_{space}_by_type_and_name')(type_name, name)] if n is not None]))
  elif r < 0.55:
    ext = [s.pick(['e1', 'e2', 'e3', 'e9']) for _ in range(s.rng.randint(1, 2))]
    s.step('reads', f'get_{space}s_by_external_ids({ext})',
           lambda c: nodes_of(c, space, getattr(c.store, f'get_{space}s_by_external_ids')(ext)))
  elif r < 0.6:
    # Not by the empty uri: Data Journey refuses it as a lookup key (MLMD lists the artifacts
    # without a uri), a deliberate difference: an artifact without a uri has none to find by.
    uri = s.pick(['nope', *[u for u in URIS if u]])
    s.step('reads', f'get_artifacts_by_uri({short(uri)!r})', lambda c: nodes_of(c, 'artifact', c.store.get_artifacts_by_uri(uri)))
  elif r < 0.7:
    k = s.some_node('context')
    what = s.pick(['artifact', 'execution'])
    s.step('reads', f'get_{what}s_by_context({k and k["h"]})',
           lambda c: nodes_of(c, what, getattr(c.store, f'get_{what}s_by_context')(raw(c, k))))
  elif r < 0.8:
    what = s.pick(['artifact', 'execution'])
    chosen = [s.some_node(what) for _ in range(s.rng.randint(1, 2))]
    s.step('reads', f'get_events_by_{what}_ids({[n and n["h"] for n in chosen]})',
           lambda c: sorted_events(c, getattr(c.store, f'get_events_by_{what}_ids')([raw(c, n) for n in chosen])))
  elif r < 0.9:
    what = s.pick(['artifact', 'execution'])
    n = s.some_node(what)
    s.step('reads', f'get_contexts_by_{what}({n and n["h"]})',
           lambda c: nodes_of(c, 'context', getattr(c.store, f'get_contexts_by_{what}')(raw(c, n))))
  else:
    k = s.some_node('context')
    which = s.pick(['parent_contexts', 'children_contexts'])
    s.step('reads', f'get_{which}_by_context({k and k["h"]})',
           lambda c: nodes_of(c, 'context', getattr(c.store, f'get_{which}_by_context')(raw(c, k))))


# ---------------------------------------------------------------- listing

ORDER_FIELDS = {
    'ID': pb.ListOperationOptions.OrderByField.ID,
    'CREATE_TIME': pb.ListOperationOptions.OrderByField.CREATE_TIME,
    'LAST_UPDATE_TIME': pb.ListOperationOptions.OrderByField.LAST_UPDATE_TIME,
}
LIST_METHODS = {'artifact': ('GetArtifacts', svc.GetArtifactsRequest, svc.GetArtifactsResponse, 'artifacts'),
                'execution': ('GetExecutions', svc.GetExecutionsRequest, svc.GetExecutionsResponse, 'executions'),
                'context': ('GetContexts', svc.GetContextsRequest, svc.GetContextsResponse, 'contexts')}


def pages(c, space, options, filter_query=None):
  """Every page of a listing, each as its nodes, following next_page_token to the end."""
  method, request_class, response_class, field = LIST_METHODS[space]
  request = request_class()
  request.options.CopyFrom(options)
  if filter_query is not None:
    request.options.filter_query = filter_query
  out = []
  for _ in range(50):
    response = c.call(method, request, response_class())
    out.append(list(getattr(response, field)))
    if not response.next_page_token:
      return out
    request.options.next_page_token = response.next_page_token
  raise RuntimeError('more than 50 pages')


TIME_OF = {'CREATE_TIME': 'create_time_since_epoch', 'LAST_UPDATE_TIME': 'last_update_time_since_epoch'}


def listed(c, space, nodes, field, asc, whole):
  """A listing's answer. By id: the node labels in order. By a time: only what does not
  hang on the milliseconds each store happened to give (MLMD stamps each node of a call
  apart, Data Journey the call at once): how many, which ones when `whole` (every node is
  in), no node twice, and the order true to the store's own times."""
  if field not in TIME_OF:
    return labels(c, space, [n.id for n in nodes])
  times = [getattr(n, TIME_OF[field]) for n in nodes]
  ordered = all(a <= b if asc else a >= b for a, b in zip(times, times[1:]))
  ids = [n.id for n in nodes]
  return {'count': len(nodes), 'in order of their times': ordered, 'none twice': len(set(ids)) == len(ids),
          'which': sorted(labels(c, space, ids)) if whole else 'some'}


def listing_family(s):
  space = s.pick(list(SPACES))
  options = pb.ListOperationOptions()
  if s.chance(0.8):
    options.max_result_size = s.pick([1, 2, 3, 5, 20, 101, 0])
  field = None
  # MLMD's own pages over LAST_UPDATE_TIME descending repeat nodes where times tie (its
  # cursor keeps the time only), so that ordering is asked for ascending only.
  if s.chance(0.7):
    field = s.pick(list(ORDER_FIELDS))
    options.order_by_field.field = ORDER_FIELDS[field]
    options.order_by_field.is_asc = field == 'LAST_UPDATE_TIME' or s.chance(0.5)
  asc = options.order_by_field.is_asc
  shown = f'{LIST_METHODS[space][0]}(max_result_size={options.max_result_size if options.HasField("max_result_size") else None}, order_by={field}, is_asc={asc})'
  # Every page by LAST_UPDATE_TIME: MLMD's own pages can come back round forever where
  # update times tie (its cursor keeps the time and not the id), so only a first page.
  if field != 'LAST_UPDATE_TIME' and s.chance(0.5):
    def every_page(c):
      got = pages(c, space, options)
      return {'page sizes': [len(p) for p in got], 'nodes': listed(c, space, [n for p in got for n in p], field, asc, True)}
    s.step('listing', f'{shown}, every page', every_page)
  else:
    limit = s.pick([1, 4] if field == 'LAST_UPDATE_TIME' else [None, 1, 4, 30])
    order = {'ID': metadata_store.OrderByField.ID, 'CREATE_TIME': metadata_store.OrderByField.CREATE_TIME,
             'LAST_UPDATE_TIME': metadata_store.OrderByField.UPDATE_TIME}.get(field)

    def first(c):
      got = getattr(c.store, f'get_{space}s')(list_options=metadata_store.ListOptions(limit=limit, order_by=order, is_asc=asc))
      if field in TIME_OF:
        return listed(c, space, got, field, asc, limit is None or len(got) < limit)
      return nodes_of(c, space, got)
    s.step('listing', f'get_{space}s(ListOptions(limit={limit}, order_by={field}, is_asc={asc}))', first)


# ---------------------------------------------------------------- filters (served once filter_query is)

def filter_query(s, space):
  """A small random filter in MLMD's grammar, over what the sequence writes."""
  atoms = [
      lambda: f"name = '{s.pick(['n1', 'n2', 'n7'])}'",
      lambda: f"name LIKE '{s.pick(['n%', 'N%', '%1', '_2'])}'",
      lambda: f'id {s.pick(["=", "!=", "<", ">=", "<="])} {s.rng.randint(1, 6)}',
      lambda: f"type = '{s.pick(['A', 'B', 'C'])}'",
      lambda: f"external_id IN ('e1', '{s.pick(['e2', 'e9'])}')",
      lambda: 'external_id IS NULL',
      lambda: f'create_time_since_epoch {s.pick([">", "<"])} 0',
      lambda: f'properties.p.int_value {s.pick(["=", ">", "<"])} {s.pick([0, 7, -1])}',
      lambda: f"properties.p.string_value = '{s.pick(['text', 'x'])}'",
      lambda: f'custom_properties.c1.bool_value = {s.pick(["true", "false"])}',
      lambda: f"contexts_a.name = '{s.pick(['n1', 'n2'])}'",
  ]
  if space == 'artifact':
    atoms.append(lambda: f"uri = '{s.pick(['u1', 'u2'])}'")
    atoms.append(lambda: f'events_e.type = {s.pick(["INPUT", "OUTPUT"])}')
  if space == 'context':
    atoms.append(lambda: f"parent_contexts_p.name = '{s.pick(['n1', 'n2'])}'")
    atoms.append(lambda: f"child_contexts_c.name = '{s.pick(['n1', 'n2'])}'")
  if s.chance(0.05):
    return s.pick(['name = ', "name == 'x'", 'properties.p = 1', '(id = 1'])  # malformed: InvalidArgument
  text = s.pick(atoms)()
  for _ in range(s.rng.randint(0, 2)):
    joined = s.pick(['AND', 'OR'])
    other = s.pick(atoms)()
    text = f'{text} {joined} {"NOT " if s.chance(0.2) else ""}({other})' if s.chance(0.5) else f'{text} {joined} {other}'
  return text


def filters_family(s):
  space = s.pick(list(SPACES))
  query = filter_query(s, space)
  options = pb.ListOperationOptions(max_result_size=s.pick([3, 20, 100]))
  s.step('filters', f'{LIST_METHODS[space][0]}(filter_query={query!r}, max_result_size={options.max_result_size})',
         lambda c: [labels(c, space, [n.id for n in p]) for p in pages(c, space, options, query)])


# ---------------------------------------------------------------- lineage (served once the lineage RPCs are)

def lineage_family(s):
  if s.chance(0.5):
    executions = [(s.some_type('execution'), *node_fields(s, 'execution', None))]
    artifacts = []
    for _ in range(s.rng.randint(0, 3)):
      t = s.some_type('artifact')
      fields, props, custom = node_fields(s, 'artifact', t)
      artifacts.append((t, fields, props, custom))
    contexts = [(s.some_type('context'), *node_fields(s, 'context', None)) for _ in range(s.rng.randint(0, 1))]
    x_items = [{'h': s.new_handle('execution'), 'type': e[0], 'name': e[1].get('name')} for e in executions]
    s.nodes['execution'].extend(x_items)
    a_items = []
    for a in artifacts:
      a_items.append({'h': s.new_handle('artifact'), 'type': a[0], 'name': a[1].get('name')})
      s.nodes['artifact'].append(a_items[-1])
    k_items = []
    for k in contexts:
      k_items.append({'h': s.new_handle('context'), 'type': k[0], 'name': k[1].get('name')})
      s.nodes['context'].append(k_items[-1])
    edges = [(0, i, s.pick([pb.Event.INPUT, pb.Event.OUTPUT])) for i in range(len(artifacts))]
    options = {k: True for k in ('reuse_context_if_already_exist', 'reuse_artifact_if_already_exist_by_external_id') if s.chance(0.3)}

    def put(c):
      xs, arts, ctxs = c.store.put_lineage_subgraph(
          [build_node(c, 'execution', *e, False) for e in executions], [build_node(c, 'artifact', *a, False) for a in artifacts],
          [build_node(c, 'context', *k, False) for k in contexts], [(x, a, pb.Event(type=kind)) for x, a, kind in edges], **options)
      keep(c, x_items, xs)
      keep(c, a_items, arts)
      keep(c, k_items, ctxs)
      return {'executions': labels(c, 'execution', xs), 'artifacts': labels(c, 'artifact', arts), 'contexts': labels(c, 'context', ctxs)}
    s.step('lineage', f'put_lineage_subgraph({len(executions)} executions, {len(artifacts)} artifacts, {len(contexts)} contexts, {options})', put)
  else:
    start = s.pick(['starting_artifacts', 'starting_executions'])
    query = f'id <= {s.rng.randint(1, 4)}' if s.chance(0.8) else "name = 'n1'"
    hops = s.pick([0, 1, 2, 5, 200])
    direction = s.pick([None, 1, 2, 3])
    mask = s.pick([None, ['artifacts', 'executions', 'events'], ['contexts', 'associations', 'attributions']])

    def get(c):
      options = pb.LineageSubgraphQueryOptions(max_num_hops=hops)
      getattr(options, start).filter_query = query
      if direction is not None:
        options.direction = direction
      graph = c.store.get_lineage_subgraph(options, mask)
      out = {}
      for field, space in (('artifacts', 'artifact'), ('executions', 'execution'), ('contexts', 'context')):
        out[field] = sorted((norm_node(c.ids, space, n) for n in getattr(graph, field)), key=lambda n: n['id'])
      for field in ('artifact_types', 'execution_types', 'context_types'):
        out[field] = sorted((norm_type(c.ids, t) for t in getattr(graph, field)), key=lambda t: t['id'])
      out['events'] = sorted_events(c, graph.events)
      out['attributions'] = sorted(json.dumps(as_dict(a) | {'artifact_id': c.ids.label('artifact', a.artifact_id),
                                                               'context_id': c.ids.label('context', a.context_id)}, sort_keys=True) for a in graph.attributions)
      out['associations'] = sorted(json.dumps(as_dict(a) | {'execution_id': c.ids.label('execution', a.execution_id),
                                                               'context_id': c.ids.label('context', a.context_id)}, sort_keys=True) for a in graph.associations)
      return out
    s.step('lineage', f'get_lineage_subgraph({start}={query!r}, max_num_hops={hops}, direction={direction}, mask={mask})', get)


# The families and how often each is drawn. Reads and listing weigh less than writes so
# that a sequence of 80 steps still builds a graph worth reading.
FAMILIES = {
    'types': (types_family, 3), 'nodes': (nodes_family, 4), 'edges': (edges_family, 3),
    'put_execution': (put_execution_family, 2), 'reads': (reads_family, 3), 'listing': (listing_family, 1),
    'filters': (filters_family, 2), 'lineage': (lineage_family, 2),
}


def prologue(s):
  """A type of each kind, so that most later choices find something to refer to."""
  for kind in TYPE_CLASSES:
    t = {'h': s.new_handle('type'), 'name': 'A', 'version': None, 'props': {'p': pb.INT, 'q': pb.STRING}}
    s.types[kind].append(t)

    # Bound now: a later evolution replaces t['props'], and Data Journey's run comes after.
    def put(c, kind=kind, t=t, props=dict(t['props'])):
      i = getattr(c.store, f'put_{kind}_type')(TYPE_CLASSES[kind](name='A', properties=props))
      c.kept.setdefault(t['h'], i)
      return c.ids.label('type', i)
    s.step('types', f"put_{kind}_type(name='A', properties={t['props']})", put)


def answer(calls, fn):
  try:
    return {'ok': fn(calls)}
  except errors.StatusError as e:
    return {'error': type(e).__name__, 'message': str(e)[:300]}
  except Exception as e:  # pylint: disable=broad-except
    return {'error': f'python {type(e).__name__}: {e}'[:300]}


def reference_answer(calls, fn):
  """MLMD's answer, with its INTERNAL for a broken UNIQUE constraint, and its ABORTED for
  a context it took for a concurrent creation, read as the ALREADY_EXISTS they mean
  (deliberate differences, see PROPERTY_KINDS)."""
  a = answer(calls, fn)
  if a.get('error') == 'InternalError' and 'UNIQUE constraint failed' in a['message']:
    a['error'] = 'AlreadyExistsError'
  if a.get('error') == 'AbortedError' and 'Concurrent creation of the same context' in a['message']:
    a['error'] = 'AlreadyExistsError'
  return a


def learn_types(s, reference):
  """The properties each type has in MLMD's store now (an evolution may have been
  refused), so that node properties drawn later are faults only when meant to be."""
  for kind, types in s.types.items():
    taken = [t for t in types if t['h'] in s.taken]
    if taken:
      found = {t.id: t for t in getattr(reference, f'get_{kind}_types_by_id')([s.taken[t['h']] for t in taken])}
      for t in taken:
        if s.taken[t['h']] in found:
          t['props'] = dict(found[s.taken[t['h']]].properties)


def generate(seed, families, count, reference):
  """The `count` steps (family, call, fn) that `seed` draws from `families`, each run on the
  `reference` store (MLMD's) as soon as it is drawn, so that later draws know what it took;
  and the reference's answers."""
  theirs = Calls(reference)
  s = Sequence(random.Random(seed), theirs.kept)
  chosen = [f for f in FAMILIES if f in families]
  weights = [FAMILIES[f][1] for f in chosen]
  answers = []
  draws = [prologue] + [FAMILIES[f][0] for f in ('nodes', 'nodes', 'nodes') if f in chosen]
  while len(s.steps) < count:
    draw = draws.pop(0) if draws else FAMILIES[s.rng.choices(chosen, weights)[0]][0]
    s.faults_left, s.faulty = 1, False
    draw(s)
    for _, _, fn in s.steps[len(answers):count]:
      answers.append(reference_answer(theirs, fn))
    learn_types(s, reference)
  return s.steps[:count], answers, s.faulted[:count]


def run(store, steps):
  calls = Calls(store)
  return [answer(calls, fn) for _, _, fn in steps]


def in_process_store():
  """ML Metadata's own store over a new SQLite file."""
  config = pb.ConnectionConfig()
  config.sqlite.filename_uri = os.path.join(tempfile.mkdtemp(), 'mlmd.sqlite')
  config.sqlite.connection_mode = pb.SqliteMetadataSourceConfig.READWRITE_OPENCREATE
  return metadata_store.MetadataStore(config)


def main():
  host, families, count, seeds = sys.argv[1], sys.argv[2].split(','), int(sys.argv[3]), [int(a) for a in sys.argv[4:]]
  unknown = [f for f in families if f not in FAMILIES]
  if unknown:
    raise SystemExit(f'unknown families {unknown}: the families are {sorted(FAMILIES)}')
  for seed in seeds:
    steps, theirs, faulted = generate(seed, families, count, in_process_store())
    print(json.dumps({'want_server': seed}), flush=True)
    port = int(sys.stdin.readline())
    ours = run(metadata_store.MetadataStore(pb.MetadataStoreClientConfig(host=host, port=port)), steps)
    print(json.dumps({'seed': seed, 'calls': [f'{family}: {call}' for family, call, _ in steps], 'faulted': faulted, 'ours': ours, 'theirs': theirs}), flush=True)


if __name__ == '__main__':
  main()
  # Without waiting for gRPC's channel threads, which can hold an exiting interpreter.
  os._exit(0)
