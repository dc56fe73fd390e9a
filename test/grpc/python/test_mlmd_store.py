"""ML Metadata's own store tests, re-expressed, run against Data Journey's gRPC face.

Each test names the case of ml_metadata/metadata_store/metadata_store_test.py
(google/ml-metadata) whose checks it re-expresses. The store is made exactly as a user
makes one: MetadataStore(MetadataStoreClientConfig(host, port)), from MLMD_HOST and
MLMD_PORT. Every test names its types (and the nodes that must be unique) with a fresh
uuid, so the tests share one server and may run in any order; the few that read the
newest nodes of a whole kind expect no other writer while they run.

By hand, against a running server (JOURNEY_GRPC_PORT, default 8080):
  MLMD_HOST=127.0.0.1 MLMD_PORT=8080 .venv/bin/python -m pytest -p no:cacheprovider \
    test/grpc/python/test_mlmd_store.py
"""
import collections
import os
import uuid

import pytest

import ml_metadata as mlmd
from ml_metadata import errors
from ml_metadata.proto import metadata_store_pb2 as pb

KIND_INT, KIND_STRING, KIND_DOUBLE = pb.INT, pb.STRING, pb.DOUBLE


def _client_config(**channel):
  """The config a user writes, plus the channel settings a connection case varies."""
  config = pb.MetadataStoreClientConfig(
      host=os.environ.get("MLMD_HOST", "127.0.0.1"),
      port=int(os.environ.get("MLMD_PORT", "8080")))
  for key, value in channel.items():
    if key == "client_timeout_sec":
      config.client_timeout_sec = value
    else:
      setattr(config.channel_arguments, key, value)
  return config


@pytest.fixture(scope="module")
def store():
  return mlmd.MetadataStore(_client_config())


def fresh(what="t"):
  """A name no other test uses."""
  return f"{what}_{uuid.uuid4().hex}"


def sample_type(cls, name, version=None):
  """A type of `cls` with the three properties the original cases declare."""
  made = cls(name=name, properties={"foo": KIND_INT, "bar": KIND_STRING, "baz": KIND_DOUBLE})
  if version:
    made.version = version
  return made


# The three kinds of node, each with its message classes and the client's method names.
Kind = collections.namedtuple(
    "Kind", "name type_cls node_cls put_type get_type put_nodes by_type by_type_and_name listing")
ARTIFACT = Kind("artifact", pb.ArtifactType, pb.Artifact, "put_artifact_type", "get_artifact_type",
                "put_artifacts", "get_artifacts_by_type", "get_artifact_by_type_and_name", "get_artifacts")
EXECUTION = Kind("execution", pb.ExecutionType, pb.Execution, "put_execution_type", "get_execution_type",
                 "put_executions", "get_executions_by_type", "get_execution_by_type_and_name", "get_executions")
CONTEXT = Kind("context", pb.ContextType, pb.Context, "put_context_type", "get_context_type",
               "put_contexts", "get_contexts_by_type", "get_context_by_type_and_name", "get_contexts")
KINDS = pytest.mark.parametrize("kind", [ARTIFACT, EXECUTION, CONTEXT], ids=lambda k: k.name)


def call(store, method, *args, **kwargs):
  return getattr(store, method)(*args, **kwargs)


# --- connection -----------------------------------------------------------------------


def test_connection_config_with_retry_options(store):
  """metadata_store_test.py: test_connection_config_with_retry_options (the gRPC half)."""
  assert store._max_num_retries > 0  # pylint: disable=protected-access


def test_connection_config_with_grpc_max_receive_message_length():
  """metadata_store_test.py: test_connection_config_with_grpc_max_receive_message_length"""
  wanted = sample_type(pb.ArtifactType, fresh())
  assert wanted.ByteSize() < 100
  small = mlmd.MetadataStore(_client_config(max_receive_message_length=100))
  small.put_artifact_type(wanted)
  assert small.get_artifacts_by_type(type_name=wanted.name) == []


def test_connection_config_with_grpc_max_receive_message_length_errors():
  """metadata_store_test.py: test_connection_config_with_grpc_max_receive_message_length_errors"""
  tiny = mlmd.MetadataStore(_client_config(max_receive_message_length=1))
  with pytest.raises(errors.ResourceExhaustedError):
    tiny.put_artifact_type(sample_type(pb.ArtifactType, fresh()))
    tiny.get_artifact_types()


def test_connection_config_with_grpc_http2_max_ping_strikes():
  """metadata_store_test.py: test_connection_config_with_grpc_http2_max_ping_strikes"""
  lenient = mlmd.MetadataStore(_client_config(http2_max_ping_strikes=0))
  type_id = lenient.put_artifact_type(sample_type(pb.ArtifactType, fresh()))
  assert type_id in [t.id for t in lenient.get_artifact_types()]


def test_connection_config_with_grpc_client_timeout_sec_errors():
  """metadata_store_test.py: test_connection_config_with_grpc_client_timeout_sec_errors"""
  hurried = mlmd.MetadataStore(_client_config(client_timeout_sec=0))
  with pytest.raises(errors.DeadlineExceededError):
    hurried.get_artifact_types()


# --- types ----------------------------------------------------------------------------


def _has_sample_properties(got):
  return (got.properties["foo"], got.properties["bar"], got.properties["baz"]) == (KIND_INT, KIND_STRING, KIND_DOUBLE)


def test_put_artifact_type_get_artifact_type(store):
  """metadata_store_test.py: test_put_artifact_type_get_artifact_type"""
  name = fresh()
  type_id = store.put_artifact_type(sample_type(pb.ArtifactType, name))
  got = store.get_artifact_type(name)
  assert (got.id, got.name) == (type_id, name)
  assert _has_sample_properties(got)


def test_put_artifact_type_with_update_get_artifact_type(store):
  """metadata_store_test.py: test_put_artifact_type_with_update_get_artifact_type"""
  wanted = sample_type(pb.ArtifactType, fresh())
  type_id = store.put_artifact_type(wanted)
  wanted.properties["new_property"] = KIND_INT
  store.put_artifact_type(wanted, can_add_fields=True)
  got = store.get_artifact_type(wanted.name)
  assert (got.id, got.name) == (type_id, wanted.name)
  assert _has_sample_properties(got) and got.properties["new_property"] == KIND_INT


@pytest.mark.parametrize("kind_name, type_cls", [
    ("artifact", pb.ArtifactType), ("execution", pb.ExecutionType), ("context", pb.ContextType)])
def test_put_types_and_get_types_by_external_ids(store, kind_name, type_cls):
  """metadata_store_test.py: test_put_artifact_types_and_get_artifact_types_by_external_ids,
  test_put_execution_types_and_get_execution_types_by_external_ids,
  test_put_context_types_and_get_context_types_by_external_ids"""
  first, second = sample_type(type_cls, fresh()), sample_type(type_cls, fresh())
  call(store, f"put_{kind_name}_type", first)
  call(store, f"put_{kind_name}_type", second)
  # The external ids come with a second put of the same types.
  first.external_id, second.external_id = fresh("ext"), fresh("ext")
  call(store, f"put_{kind_name}_type", first, can_add_fields=True)
  call(store, f"put_{kind_name}_type", second, can_add_fields=True)
  got = call(store, f"get_{kind_name}_types_by_external_ids", [first.external_id, second.external_id])
  assert sorted(t.external_id for t in got) == sorted([first.external_id, second.external_id])


@KINDS
def test_put_type_get_type_with_version(store, kind):
  """metadata_store_test.py: test_put_type_get_type_with_version"""
  name, version = fresh(), fresh("v")
  type_id = call(store, kind.put_type, sample_type(kind.type_cls, name, version))
  got = call(store, kind.get_type, name, version)
  assert (got.id, got.name, got.version) == (type_id, name, version)
  assert _has_sample_properties(got)


@KINDS
def test_put_type_with_update_get_type_with_version(store, kind):
  """metadata_store_test.py: test_put_type_with_update_get_type_with_version"""
  wanted = sample_type(kind.type_cls, fresh(), fresh("v"))
  type_id = call(store, kind.put_type, wanted)
  wanted.properties["new_property"] = KIND_INT
  call(store, kind.put_type, wanted, can_add_fields=True)
  got = call(store, kind.get_type, wanted.name, wanted.version)
  assert (got.id, got.version) == (type_id, wanted.version)
  assert _has_sample_properties(got) and got.properties["new_property"] == KIND_INT


def _omitted_fields_case(store, kind, version, also_new_property):
  """A type stored with one more property (p1) than a later put of it gives."""
  narrower = sample_type(kind.type_cls, fresh(), version)
  wider = kind.type_cls()
  wider.CopyFrom(narrower)
  wider.properties["p1"] = KIND_INT
  type_id = call(store, kind.put_type, wider)
  if also_new_property:
    narrower.properties["p2"] = KIND_DOUBLE
  with pytest.raises(errors.AlreadyExistsError):
    call(store, kind.put_type, narrower)
  if also_new_property:
    # Omitting is allowed now, adding is not.
    with pytest.raises(errors.AlreadyExistsError):
      call(store, kind.put_type, narrower, can_omit_fields=True)
    call(store, kind.put_type, narrower, can_omit_fields=True, can_add_fields=True)
    wider.properties["p2"] = KIND_DOUBLE
  else:
    call(store, kind.put_type, narrower, can_omit_fields=True)
  got = call(store, kind.get_type, narrower.name, version) if version else call(store, kind.get_type, narrower.name)
  assert (got.id, got.name) == (type_id, narrower.name)
  assert dict(got.properties) == dict(wider.properties)


@KINDS
def test_put_type_with_omitted_fields_get_type(store, kind):
  """metadata_store_test.py: test_put_type_with_omitted_fields_get_type"""
  _omitted_fields_case(store, kind, None, also_new_property=False)


@KINDS
def test_put_type_with_omitted_fields_and_add_fields(store, kind):
  """metadata_store_test.py: test_put_type_with_omitted_fields_and_add_fields"""
  _omitted_fields_case(store, kind, None, also_new_property=True)


@KINDS
def test_put_type_with_omitted_fields_get_type_with_version(store, kind):
  """metadata_store_test.py: test_put_type_with_omitted_fields_get_type_with_version"""
  _omitted_fields_case(store, kind, fresh("v"), also_new_property=False)


@KINDS
def test_put_type_with_omitted_fields_and_add_fields_with_version(store, kind):
  """metadata_store_test.py: test_put_type_with_omitted_fields_and_add_fields_with_version"""
  _omitted_fields_case(store, kind, fresh("v"), also_new_property=True)


@KINDS
def test_get_types(store, kind):
  """metadata_store_test.py: test_get_artifact_types, test_get_execution_types,
  test_get_context_types"""
  wanted = [sample_type(kind.type_cls, fresh()) for _ in range(2)]
  for t in wanted:
    t.id = call(store, kind.put_type, t)
  ids = {t.id for t in wanted}
  got = sorted((t for t in call(store, f"get_{kind.name}_types") if t.id in ids), key=lambda t: t.id)
  assert got == sorted(wanted, key=lambda t: t.id)


def test_get_artifact_type_fails(store):
  """metadata_store_test.py: test_get_artifact_type_fails"""
  with pytest.raises(errors.NotFoundError):
    store.get_artifact_type(fresh("absent"))


def test_put_execution_type_get_execution_type(store):
  """metadata_store_test.py: test_put_execution_type_get_execution_type"""
  name = fresh()
  type_id = store.put_execution_type(pb.ExecutionType(name=name, properties={"foo": KIND_INT, "bar": KIND_STRING}))
  got = store.get_execution_type(name)
  assert (got.id, got.name) == (type_id, name)


def test_put_execution_type_with_update_get_execution_type(store):
  """metadata_store_test.py: test_put_execution_type_with_update_get_execution_type"""
  name = fresh()
  type_id = store.put_execution_type(pb.ExecutionType(name=name, properties={"foo": KIND_DOUBLE}))
  # The update names the type by its id as well as its name.
  store.put_execution_type(pb.ExecutionType(id=type_id, name=name, properties={"foo": KIND_DOUBLE, "new_property": KIND_INT}),
                           can_add_fields=True)
  got = store.get_execution_type(name)
  assert (got.id, got.name) == (type_id, name)
  assert dict(got.properties) == {"foo": KIND_DOUBLE, "new_property": KIND_INT}


def test_put_context_type_get_context_type(store):
  """metadata_store_test.py: test_put_context_type_get_context_type"""
  name = fresh()
  type_id = store.put_context_type(sample_type(pb.ContextType, name))
  got = store.get_context_type(name)
  assert (got.id, got.name) == (type_id, name)
  [by_id] = store.get_context_types_by_id([type_id])
  assert (by_id.id, by_id.name) == (type_id, name)


def test_put_context_type_with_update_get_context_type(store):
  """metadata_store_test.py: test_put_context_type_with_update_get_context_type"""
  name = fresh()
  type_id = store.put_context_type(pb.ContextType(name=name, properties={"foo": KIND_INT}))
  store.put_context_type(pb.ContextType(name=name, properties={"foo": KIND_INT, "new_property": KIND_STRING}),
                         can_add_fields=True)
  got = store.get_context_type(name)
  assert got.id == type_id
  assert dict(got.properties) == {"foo": KIND_INT, "new_property": KIND_STRING}


# --- artifacts ------------------------------------------------------------------------


def _artifact_type_id(store):
  return store.put_artifact_type(sample_type(pb.ArtifactType, fresh()))


def test_put_artifacts_get_artifacts_by_id(store):
  """metadata_store_test.py: test_put_artifacts_get_artifacts_by_id"""
  type_id = _artifact_type_id(store)
  [artifact_id] = store.put_artifacts([pb.Artifact(
      type_id=type_id, properties={"foo": pb.Value(int_value=3), "bar": pb.Value(string_value="Hello")})])
  [got] = store.get_artifacts_by_id([artifact_id])
  assert (got.properties["foo"].int_value, got.properties["bar"].string_value) == (3, "Hello")


def test_put_artifacts_get_artifacts_and_types_by_artifact_ids(store):
  """metadata_store_test.py: test_put_artifacts_get_artifacts_and_types_by_artifact_ids"""
  type_id = _artifact_type_id(store)
  [artifact_id] = store.put_artifacts([pb.Artifact(
      type_id=type_id, properties={"foo": pb.Value(int_value=3), "bar": pb.Value(string_value="Hello")})])
  [got], [got_type] = store.get_artifacts_and_types_by_artifact_ids([artifact_id])
  assert (got.properties["foo"].int_value, got.properties["bar"].string_value) == (3, "Hello")
  assert got_type.id == type_id and got_type.name == got.type


def test_put_artifacts_get_artifacts_by_id_with_set(store):
  """metadata_store_test.py: test_put_artifacts_get_artifacts_by_id_with_set"""
  type_id = _artifact_type_id(store)
  [artifact_id] = store.put_artifacts([pb.Artifact(type_id=type_id)])
  [got] = store.get_artifacts_by_id({artifact_id})
  assert got.type_id == type_id


def test_put_artifacts_get_artifacts(store):
  """metadata_store_test.py: test_put_artifacts_get_artifacts"""
  type_id = _artifact_type_id(store)
  before = len(store.get_artifacts())
  ids = store.put_artifacts([
      pb.Artifact(type_id=type_id, properties={"foo": pb.Value(int_value=3), "bar": pb.Value(string_value="Hello")}),
      pb.Artifact(type_id=type_id)])
  everything = store.get_artifacts()
  assert len(everything) == before + 2
  ours = {a.id: a for a in everything if a.id in ids}
  assert sorted(ours) == sorted(ids)
  assert (ours[ids[0]].properties["foo"].int_value, ours[ids[0]].properties["bar"].string_value) == (3, "Hello")


def test_put_artifacts_get_artifacts_by_type(store):
  """metadata_store_test.py: test_put_artifacts_get_artifacts_by_type"""
  first_type, second = _artifact_type_id(store), sample_type(pb.ArtifactType, fresh())
  second_type = store.put_artifact_type(second)
  [_, wanted] = store.put_artifacts([pb.Artifact(type_id=first_type, properties={"foo": pb.Value(int_value=3)}),
                                     pb.Artifact(type_id=second_type)])
  assert [a.id for a in store.get_artifacts_by_type(second.name)] == [wanted]


@KINDS
def test_put_nodes_get_nodes_by_type_with_version(store, kind):
  """metadata_store_test.py: test_put_nodes_get_nodes_by_type_with_version"""
  versioned = sample_type(kind.type_cls, fresh(), fresh("v"))
  type_id = call(store, kind.put_type, versioned)
  node = kind.node_cls(type_id=type_id, name="test_node",
                       properties={"foo": pb.Value(int_value=3), "bar": pb.Value(string_value="Hello")})
  [node_id] = call(store, kind.put_nodes, [node])
  assert [n.id for n in call(store, kind.by_type, versioned.name, versioned.version)] == [node_id]
  for type_name, version in [(versioned.name, "random_version"), ("random_name", versioned.version),
                             ("random_name", "random_version")]:
    assert call(store, kind.by_type, type_name, version) == []


def test_put_artifacts_get_artifact_by_type_and_name(store):
  """metadata_store_test.py: test_put_artifacts_get_artifact_by_type_and_name"""
  wanted_type = sample_type(pb.ArtifactType, fresh())
  type_id = store.put_artifact_type(wanted_type)
  name = fresh("a")
  [artifact_id] = store.put_artifacts([pb.Artifact(type_id=type_id, name=name)])
  got = store.get_artifact_by_type_and_name(wanted_type.name, name)
  assert (got.id, got.type_id, got.name) == (artifact_id, type_id, name)
  for type_name, node_name in [("random_name", name), (wanted_type.name, "random_name"), ("random_name", "random_name")]:
    assert store.get_artifact_by_type_and_name(type_name, node_name) is None


@KINDS
def test_put_nodes_get_nodes_by_type_and_name_with_version(store, kind):
  """metadata_store_test.py: test_put_nodes_get_nodes_by_type_and_name_with_version"""
  versioned = sample_type(kind.type_cls, fresh(), fresh("v"))
  type_id = call(store, kind.put_type, versioned)
  [node_id] = call(store, kind.put_nodes, [kind.node_cls(type_id=type_id, name="test_node",
                                                         properties={"foo": pb.Value(int_value=3)})])
  got = call(store, kind.by_type_and_name, versioned.name, "test_node", versioned.version)
  assert (got.id, got.type_id, got.name) == (node_id, type_id, "test_node")
  # Every combination with at least one wrong part finds nothing.
  misses = [(t, n, v) for t in (versioned.name, "random_name") for n in ("test_node", "random_node_name")
            for v in (versioned.version, "random_version")][1:]
  for type_name, node_name, version in misses:
    assert call(store, kind.by_type_and_name, type_name, node_name, version) is None


def test_put_artifacts_get_artifacts_by_uri(store):
  """metadata_store_test.py: test_put_artifacts_get_artifacts_by_uri"""
  type_id = _artifact_type_id(store)
  uri = fresh("uri")
  [wanted, _] = store.put_artifacts([pb.Artifact(type_id=type_id, uri=uri), pb.Artifact(type_id=type_id, uri=fresh("uri"))])
  assert [a.id for a in store.get_artifacts_by_uri(uri)] == [wanted]


@pytest.mark.parametrize("kind", [ARTIFACT, EXECUTION, CONTEXT], ids=lambda k: k.name)
def test_put_nodes_get_nodes_by_external_ids(store, kind):
  """metadata_store_test.py: test_put_artifacts_get_artifacts_by_external_ids,
  test_put_executions_get_executions_by_external_ids,
  test_put_contexts_get_contexts_by_external_ids"""
  type_id = call(store, kind.put_type, sample_type(kind.type_cls, fresh()))
  external = [fresh("ext"), fresh("ext")]
  call(store, kind.put_nodes, [kind.node_cls(type_id=type_id, name=e, external_id=e) for e in external])
  got = call(store, f"get_{kind.name}s_by_external_ids", external)
  assert sorted(n.external_id for n in got) == sorted(external)


@KINDS
def test_puts_nodes_duplicated_name_with_the_same_type(store, kind):
  """metadata_store_test.py: test_puts_artifacts_duplicated_name_with_the_same_type,
  test_puts_executions_duplicated_name_with_the_same_type,
  test_puts_contexts_duplicated_name_with_the_same_type"""
  type_id = call(store, kind.put_type, sample_type(kind.type_cls, fresh()))
  twins = [kind.node_cls(type_id=type_id, name="the_same_name") for _ in range(2)]
  with pytest.raises(errors.AlreadyExistsError):
    call(store, kind.put_nodes, twins)


@KINDS
def test_get_nodes_by_limit(store, kind):
  """metadata_store_test.py: test_get_artifacts_by_limit, test_get_executions_by_limit,
  test_get_contexts_by_limit"""
  type_id = call(store, kind.put_type, sample_type(kind.type_cls, fresh()))
  ids = call(store, kind.put_nodes, [kind.node_cls(type_id=type_id, name=fresh("n")) for _ in range(3)])
  got = call(store, kind.listing, list_options=mlmd.ListOptions(limit=2, is_asc=False))
  assert [n.id for n in got] == [ids[2], ids[1]]


@KINDS
def test_get_nodes_by_paged_limit(store, kind):
  """metadata_store_test.py: test_get_artifacts_by_paged_limit, test_get_executions_by_paged_limit,
  test_get_contexts_by_paged_limit"""
  type_id = call(store, kind.put_type, sample_type(kind.type_cls, fresh()))
  ids = call(store, kind.put_nodes, [kind.node_cls(type_id=type_id, name=fresh("n")) for _ in range(200)])
  # 103 is more than one page: the client follows next_page_token.
  got = call(store, kind.listing, list_options=mlmd.ListOptions(limit=103, is_asc=False))
  assert [n.id for n in got] == list(reversed(ids))[:103]


@KINDS
def test_get_nodes_by_order_by_field(store, kind):
  """metadata_store_test.py: test_get_artifacts_by_order_by_field,
  test_get_executions_by_order_by_field, test_get_contexts_by_order_by_field"""
  type_id = call(store, kind.put_type, sample_type(kind.type_cls, fresh()))
  ids = call(store, kind.put_nodes, [kind.node_cls(type_id=type_id, name=fresh("n")) for _ in range(200)])
  got = call(store, kind.listing, list_options=mlmd.ListOptions(limit=103, order_by=mlmd.OrderByField.ID, is_asc=False))
  assert [n.id for n in got] == sorted(ids, reverse=True)[:103]


def test_update_artifact_get_artifact(store):
  """metadata_store_test.py: test_update_artifact_get_artifact"""
  type_id = _artifact_type_id(store)
  [artifact_id] = store.put_artifacts([pb.Artifact(type_id=type_id, properties={"bar": pb.Value(string_value="Hello")})])
  replacement = pb.Artifact(id=artifact_id, type_id=type_id, external_id=fresh("ext"),
                            properties={"foo": pb.Value(int_value=artifact_id), "bar": pb.Value(string_value="Goodbye")})
  assert store.put_artifacts([replacement]) == [artifact_id]
  [got] = store.get_artifacts_by_id([artifact_id])
  assert (got.properties["bar"].string_value, got.properties["foo"].int_value, got.external_id) == (
      "Goodbye", artifact_id, replacement.external_id)
  # A put by id alone keeps the type.
  assert store.put_artifacts([pb.Artifact(id=artifact_id)]) == [artifact_id]
  assert store.get_artifacts_by_id([artifact_id])[0].type_id == type_id


def test_update_artifact_with_masking_get_artifact(store):
  """metadata_store_test.py: test_update_artifact_with_masking_get_artifact"""
  type_id = _artifact_type_id(store)
  [artifact_id] = store.put_artifacts([pb.Artifact(type_id=type_id, uri="test_uri",
                                                   properties={"bar": pb.Value(string_value="Hello")})])
  masked = pb.Artifact(id=artifact_id, type_id=type_id, external_id=fresh("ext"),
                       properties={"foo": pb.Value(int_value=artifact_id), "bar": pb.Value(string_value="Goodbye")},
                       custom_properties={"hello": pb.Value(string_value="World")})
  # bar is not in the mask, so it keeps Hello; an empty and an unknown path are ignored.
  paths = ["external_id", "properties.foo", "custom_properties.hello", "", "invalid_field_mask_path"]
  assert store.put_artifacts([masked], paths) == [artifact_id]
  [got] = store.get_artifacts_by_id([artifact_id])
  assert got.custom_properties["hello"].string_value == "World"
  assert (got.properties["bar"].string_value, got.properties["foo"].int_value) == ("Hello", artifact_id)
  assert (got.external_id, got.uri) == (masked.external_id, "test_uri")


def test_put_invalid_artifact(store):
  """metadata_store_test.py: test_put_invalid_artifact"""
  type_id = _artifact_type_id(store)
  unset = pb.Artifact(type_id=type_id, uri="testuri")
  unset.properties["foo"]  # pylint: disable=pointless-statement  (a Value with no kind set)
  with pytest.raises(errors.InvalidArgumentError, match="foo"):
    store.put_artifacts([unset])


# --- executions -----------------------------------------------------------------------


def _execution_type_id(store):
  return store.put_execution_type(sample_type(pb.ExecutionType, fresh()))


def test_put_executions_get_executions_by_id(store):
  """metadata_store_test.py: test_put_executions_get_executions_by_id"""
  type_id = _execution_type_id(store)
  [execution_id] = store.put_executions([pb.Execution(
      type_id=type_id, properties={"foo": pb.Value(int_value=3), "bar": pb.Value(string_value="Hello")})])
  [got] = store.get_executions_by_id([execution_id])
  assert (got.properties["foo"].int_value, got.properties["bar"].string_value) == (3, "Hello")


def test_put_executions_get_executions(store):
  """metadata_store_test.py: test_put_executions_get_executions"""
  type_id = _execution_type_id(store)
  before = len(store.get_executions())
  values = [(3, "Hello"), (-9, "Goodbye")]
  ids = store.put_executions([pb.Execution(
      type_id=type_id, properties={"foo": pb.Value(int_value=i), "bar": pb.Value(string_value=s)}) for i, s in values])
  everything = store.get_executions()
  assert len(everything) == before + 2
  ours = {e.id: e for e in everything if e.id in ids}
  assert [(ours[i].properties["foo"].int_value, ours[i].properties["bar"].string_value) for i in ids] == values


def test_put_executions_get_executions_by_type(store):
  """metadata_store_test.py: test_put_executions_get_executions_by_type"""
  first_type, second = _execution_type_id(store), sample_type(pb.ExecutionType, fresh())
  second_type = store.put_execution_type(second)
  [_, wanted] = store.put_executions([pb.Execution(type_id=first_type), pb.Execution(type_id=second_type)])
  assert [e.id for e in store.get_executions_by_type(second.name)] == [wanted]


def test_put_executions_get_execution_by_type_and_name(store):
  """metadata_store_test.py: test_put_executions_get_execution_by_type_and_name"""
  wanted_type = sample_type(pb.ExecutionType, fresh())
  type_id = store.put_execution_type(wanted_type)
  name = fresh("e")
  [execution_id] = store.put_executions([pb.Execution(type_id=type_id, name=name)])
  got = store.get_execution_by_type_and_name(wanted_type.name, name)
  assert (got.id, got.type_id, got.name) == (execution_id, type_id, name)
  for type_name, node_name in [("random_name", name), (wanted_type.name, "random_name"), ("random_name", "random_name")]:
    assert store.get_execution_by_type_and_name(type_name, node_name) is None


def test_update_execution_get_execution(store):
  """metadata_store_test.py: test_update_execution_get_execution"""
  type_id = _execution_type_id(store)
  [execution_id] = store.put_executions([pb.Execution(type_id=type_id, properties={"bar": pb.Value(string_value="Hello")})])
  replacement = pb.Execution(id=execution_id, type_id=type_id, external_id=fresh("ext"),
                             properties={"foo": pb.Value(int_value=12), "bar": pb.Value(string_value="Goodbye")})
  assert store.put_executions([replacement]) == [execution_id]
  [got] = store.get_executions_by_id([execution_id])
  assert (got.properties["bar"].string_value, got.properties["foo"].int_value, got.external_id) == (
      "Goodbye", 12, replacement.external_id)
  assert store.put_executions([pb.Execution(id=execution_id)]) == [execution_id]
  assert store.get_executions_by_id([execution_id])[0].type_id == type_id


def test_update_execution_with_masking_get_execution(store):
  """metadata_store_test.py: test_update_execution_with_masking_get_execution"""
  type_id = store.put_execution_type(pb.ExecutionType(name=fresh(), properties={"foo": KIND_INT, "bar": KIND_STRING}))
  [execution_id] = store.put_executions([pb.Execution(type_id=type_id, properties={"bar": pb.Value(string_value="Hello")})])
  masked = pb.Execution(id=execution_id, type_id=type_id, external_id=fresh("ext"),
                        properties={"foo": pb.Value(int_value=execution_id), "bar": pb.Value(string_value="Goodbye")},
                        custom_properties={"hello": pb.Value(string_value="World")})
  paths = ["external_id", "properties.foo", "custom_properties.hello", "", "invalid_field_mask_path"]
  assert store.put_executions([masked], paths) == [execution_id]
  [got] = store.get_executions_by_id([execution_id])
  assert got.custom_properties["hello"].string_value == "World"
  assert (got.properties["bar"].string_value, got.properties["foo"].int_value) == ("Hello", execution_id)
  assert got.external_id == masked.external_id


def test_get_executions_by_id_empty(store):
  """metadata_store_test.py: test_get_executions_by_id_empty"""
  assert store.get_executions_by_id({}) == []


# --- events ---------------------------------------------------------------------------


def _execution_and_artifacts(store, executions=1, artifacts=1):
  execution_type = store.put_execution_type(pb.ExecutionType(name=fresh()))
  artifact_type = store.put_artifact_type(pb.ArtifactType(name=fresh()))
  execution_ids = store.put_executions([pb.Execution(type_id=execution_type) for _ in range(executions)])
  artifact_ids = store.put_artifacts([pb.Artifact(type_id=artifact_type) for _ in range(artifacts)])
  return execution_ids, artifact_ids


def test_put_events_get_events(store):
  """metadata_store_test.py: test_put_events_get_events"""
  [execution_id], [artifact_id] = _execution_and_artifacts(store)
  store.put_events([pb.Event(type=pb.Event.DECLARED_OUTPUT, artifact_id=artifact_id, execution_id=execution_id)])
  for got in (store.get_events_by_artifact_ids([artifact_id]), store.get_events_by_execution_ids([execution_id])):
    assert [(e.artifact_id, e.execution_id, e.type) for e in got] == [(artifact_id, execution_id, pb.Event.DECLARED_OUTPUT)]


def test_put_events_no_artifact_id(store):
  """metadata_store_test.py: test_put_events_no_artifact_id"""
  [execution_id], _ = _execution_and_artifacts(store, artifacts=0)
  with pytest.raises(errors.InvalidArgumentError):
    store.put_events([pb.Event(type=pb.Event.DECLARED_OUTPUT, execution_id=execution_id)])


def _with_path(key, **fields):
  event = pb.Event(type=pb.Event.DECLARED_INPUT, **fields)
  event.path.steps.add().key = key
  return event


def test_put_events_with_paths(store):
  """metadata_store_test.py: test_put_events_with_paths"""
  [execution_id], [first, second] = _execution_and_artifacts(store, artifacts=2)
  store.put_events([_with_path("ggg", artifact_id=first, execution_id=execution_id),
                    _with_path("fff", artifact_id=second, execution_id=execution_id)])
  got = store.get_events_by_execution_ids([execution_id])
  assert [[s.key for s in e.path.steps] for e in got] == [["ggg"], ["fff"]]


def test_put_events_with_paths_same_artifact(store):
  """metadata_store_test.py: test_put_events_with_paths_same_artifact"""
  [first, second], [artifact_id] = _execution_and_artifacts(store, executions=2)
  store.put_events([_with_path("ggg", artifact_id=artifact_id, execution_id=first),
                    _with_path("fff", artifact_id=artifact_id, execution_id=second)])
  got = store.get_events_by_artifact_ids([artifact_id])
  assert [[s.key for s in e.path.steps] for e in got] == [["ggg"], ["fff"]]


# --- put_execution --------------------------------------------------------------------


def _bare_types(store):
  """An execution type, an artifact type and a context type, each without properties."""
  return (store.put_execution_type(pb.ExecutionType(name=fresh())),
          store.put_artifact_type(pb.ArtifactType(name=fresh())),
          store.put_context_type(pb.ContextType(name=fresh())))


@pytest.mark.parametrize("no_contexts", [[], None], ids=["empty list", "None"])
def test_put_execution_without_context(store, no_contexts):
  """metadata_store_test.py: test_put_execution_without_context"""
  execution_type, artifact_type, _ = _bare_types(store)
  # One artifact without an event, one with.
  pairs = [[pb.Artifact(type_id=artifact_type)], [pb.Artifact(type_id=artifact_type), pb.Event(type=pb.Event.DECLARED_INPUT)]]
  execution_id, artifact_ids, context_ids = store.put_execution(pb.Execution(type_id=execution_type), pairs, no_contexts)
  assert len(artifact_ids) == 2 and list(context_ids) == []
  assert len(store.get_events_by_execution_ids([execution_id])) == 1


def test_put_execution_with_context(store):
  """metadata_store_test.py: test_put_execution_with_context"""
  execution_type, artifact_type, context_type = _bare_types(store)
  context = pb.Context(type_id=context_type, name=fresh("c"))
  pairs = [[pb.Artifact(type_id=artifact_type)], [pb.Artifact(type_id=artifact_type), pb.Event(type=pb.Event.DECLARED_INPUT)]]
  execution_id, artifact_ids, context_ids = store.put_execution(pb.Execution(type_id=execution_type), pairs, [context])
  assert len(artifact_ids) == 2
  assert len(store.get_events_by_execution_ids([execution_id])) == 1
  assert len(context_ids) == 1 and len(store.get_contexts_by_id(context_ids)) == 1
  assert [(c.name, c.type_id) for c in store.get_contexts_by_execution(execution_id)] == [(context.name, context_type)]
  assert [e.id for e in store.get_executions_by_context(context_ids[0])] == [execution_id]


def test_put_execution_force_reuse_context(store):
  """metadata_store_test.py: test_put_execution_force_reuse_context"""
  execution_type, _, context_type = _bare_types(store)
  original = pb.Context(type_id=context_type, name=fresh("c"), custom_properties={"property1": pb.Value(string_value="value1")})
  [context_id] = store.put_contexts([original])
  changed = pb.Context(id=context_id, type_id=context_type, name=original.name,
                       custom_properties={"property1": pb.Value(string_value="changed"),
                                          "property2": pb.Value(string_value="added")})
  _, _, context_ids = store.put_execution(execution=pb.Execution(type_id=execution_type), artifact_and_events=[],
                                          contexts=[changed], force_reuse_context=True)
  assert list(context_ids) == [context_id]
  # The context given was only used to find the stored one: it is not written.
  [got] = store.get_contexts_by_id([context_id])
  assert dict(got.custom_properties) == dict(original.custom_properties)


def test_put_execution_with_reuse_context_if_already_exist(store):
  """metadata_store_test.py: test_put_execution_with_reuse_context_if_already_exist"""
  execution_type, _, context_type = _bare_types(store)
  execution, context = pb.Execution(type_id=execution_type), pb.Context(type_id=context_type, name=fresh("c"))
  first_execution, _, context_ids = store.put_execution(execution=execution, artifact_and_events=[], contexts=[context])
  # A second writer with the same new context, as in a race between two runs.
  with pytest.raises(errors.AlreadyExistsError):
    store.put_execution(execution=execution, artifact_and_events=[], contexts=[context])
  second_execution, _, reused = store.put_execution(execution=execution, artifact_and_events=[], contexts=[context],
                                                    reuse_context_if_already_exist=True)
  assert list(reused) == list(context_ids) and second_execution != first_execution
  assert len(store.get_executions_by_context(context_ids[0])) == 2


def test_put_execution_with_invalid_argument_errors(store):
  """metadata_store_test.py: test_put_execution_with_invalid_argument_errors"""
  execution_type, _, _ = _bare_types(store)
  [known] = store.put_executions([pb.Execution(type_id=execution_type)])
  # Far beyond any id given so far, so no execution has it.
  absent = known + 1_000_000
  with pytest.raises(errors.InvalidArgumentError):
    store.put_execution(execution=pb.Execution(id=absent, type_id=execution_type), artifact_and_events=[], contexts=[])


# --- contexts -------------------------------------------------------------------------


def _context_type_id(store):
  return store.put_context_type(sample_type(pb.ContextType, fresh()))


def test_put_contexts_get_contexts_by_id(store):
  """metadata_store_test.py: test_put_contexts_get_contexts_by_id"""
  type_id = _context_type_id(store)
  name = fresh("c")
  [context_id] = store.put_contexts([pb.Context(type_id=type_id, name=name, properties={"foo": pb.Value(int_value=3)},
                                                custom_properties={"abc": pb.Value(string_value="s")})])
  [got] = store.get_contexts_by_id([context_id])
  assert (got.name, got.properties["foo"].int_value, got.custom_properties["abc"].string_value) == (name, 3, "s")


def test_put_contexts_get_contexts(store):
  """metadata_store_test.py: test_put_contexts_get_contexts"""
  type_id = _context_type_id(store)
  before = len(store.get_contexts())
  wanted = [pb.Context(type_id=type_id, name=fresh("c"), properties={"bar": pb.Value(string_value="Hello")}),
            pb.Context(type_id=type_id, name=fresh("c"), properties={"foo": pb.Value(int_value=-9)})]
  ids = store.put_contexts(wanted)
  everything = store.get_contexts()
  assert len(everything) == before + 2
  ours = {c.id: c for c in everything if c.id in ids}
  assert (ours[ids[0]].name, ours[ids[0]].properties["bar"].string_value) == (wanted[0].name, "Hello")
  assert (ours[ids[1]].name, ours[ids[1]].properties["foo"].int_value) == (wanted[1].name, -9)


def test_put_contexts_get_context_by_type_and_name(store):
  """metadata_store_test.py: test_put_contexts_get_context_by_type_and_name"""
  wanted_type = sample_type(pb.ContextType, fresh())
  type_id = store.put_context_type(wanted_type)
  name = fresh("c")
  [context_id] = store.put_contexts([pb.Context(type_id=type_id, name=name)])
  got = store.get_context_by_type_and_name(wanted_type.name, name)
  assert (got.id, got.type_id, got.name) == (context_id, type_id, name)
  for type_name, node_name in [("random_name", name), (wanted_type.name, "random_name"), ("random_name", "random_name")]:
    assert store.get_context_by_type_and_name(type_name, node_name) is None


def test_put_contexts_get_contexts_by_type(store):
  """metadata_store_test.py: test_put_contexts_get_contexts_by_type"""
  first_type, second = _context_type_id(store), sample_type(pb.ContextType, fresh())
  second_type = store.put_context_type(second)
  [_, wanted] = store.put_contexts([pb.Context(type_id=first_type, name=fresh("c")),
                                    pb.Context(type_id=second_type, name=fresh("c"))])
  assert [c.id for c in store.get_contexts_by_type(second.name)] == [wanted]


def test_puts_contexts_empty_name(store):
  """metadata_store_test.py: test_puts_contexts_empty_name"""
  type_id = _context_type_id(store)
  with pytest.raises(errors.InvalidArgumentError):
    store.put_contexts([pb.Context(type_id=type_id)])


def test_update_context_get_context(store):
  """metadata_store_test.py: test_update_context_get_context"""
  type_id = _context_type_id(store)
  [context_id] = store.put_contexts([pb.Context(type_id=type_id, name=fresh("c"),
                                                properties={"bar": pb.Value(string_value="Hello")})])
  renamed = pb.Context(id=context_id, type_id=type_id, name=fresh("c"), external_id=fresh("ext"),
                       properties={"foo": pb.Value(int_value=12), "bar": pb.Value(string_value="Goodbye")})
  assert store.put_contexts([renamed]) == [context_id]
  [got] = store.get_contexts_by_id([context_id])
  assert (got.name, got.properties["bar"].string_value, got.properties["foo"].int_value, got.external_id) == (
      renamed.name, "Goodbye", 12, renamed.external_id)
  # A put by id and name alone keeps the type.
  assert store.put_contexts([pb.Context(id=context_id, name=fresh("c"))]) == [context_id]
  assert store.get_contexts_by_id([context_id])[0].type_id == type_id


# --- attributions, associations, listing by context ------------------------------------


def test_put_and_use_attributions_and_associations(store):
  """metadata_store_test.py: test_put_and_use_attributions_and_associations"""
  context = pb.Context(type_id=_context_type_id(store), name=fresh("c"))
  [context.id] = store.put_contexts([context])
  execution = pb.Execution(type_id=_execution_type_id(store), properties={"foo": pb.Value(int_value=3)})
  [execution.id] = store.put_executions([execution])
  artifact = pb.Artifact(type_id=_artifact_type_id(store), uri="testuri")
  [artifact.id] = store.put_artifacts([artifact])
  store.put_attributions_and_associations([pb.Attribution(artifact_id=artifact.id, context_id=context.id)],
                                          [pb.Association(execution_id=execution.id, context_id=context.id)])
  assert [(c.id, c.name) for c in store.get_contexts_by_artifact(artifact.id)] == [(context.id, context.name)]
  assert [(c.id, c.name) for c in store.get_contexts_by_execution(execution.id)] == [(context.id, context.name)]
  assert [a.uri for a in store.get_artifacts_by_context(context.id)] == ["testuri"]
  assert [e.properties["foo"] for e in store.get_executions_by_context(context.id)] == [execution.properties["foo"]]


def test_put_duplicated_attributions_and_empty_associations(store):
  """metadata_store_test.py: test_put_duplicated_attributions_and_empty_associations"""
  context = pb.Context(type_id=_context_type_id(store), name=fresh("c"))
  [context.id] = store.put_contexts([context])
  [artifact_id] = store.put_artifacts([pb.Artifact(type_id=_artifact_type_id(store), uri="testuri")])
  twice = pb.Attribution(artifact_id=artifact_id, context_id=context.id)
  store.put_attributions_and_associations([twice, twice], [])
  assert [(c.id, c.name) for c in store.get_contexts_by_artifact(artifact_id)] == [(context.id, context.name)]
  assert [a.uri for a in store.get_artifacts_by_context(context.id)] == ["testuri"]
  assert store.get_executions_by_context(context.id) == []


def _context_with(store, count, kind):
  """A context with `count` new executions or artifacts linked to it; their ids."""
  [context_id] = store.put_contexts([pb.Context(type_id=_context_type_id(store), name=fresh("c"))])
  if kind == "execution":
    ids = store.put_executions([pb.Execution(type_id=_execution_type_id(store)) for _ in range(count)])
    store.put_attributions_and_associations([], [pb.Association(context_id=context_id, execution_id=i) for i in ids])
  else:
    ids = store.put_artifacts([pb.Artifact(type_id=_artifact_type_id(store)) for _ in range(count)])
    store.put_attributions_and_associations([pb.Attribution(context_id=context_id, artifact_id=i) for i in ids], [])
  return context_id, ids


def test_get_executions_by_context_with_pagination(store):
  """metadata_store_test.py: test_get_executions_by_context_with_pagination"""
  context_id, ids = _context_with(store, 102, "execution")
  assert sorted(e.id for e in store.get_executions_by_context(context_id)) == sorted(ids)


def test_get_executions_by_context_with_list_options(store):
  """metadata_store_test.py: test_get_executions_by_context_with_list_options"""
  context_id, ids = _context_with(store, 5, "execution")
  got = store.get_executions_by_context(context_id, mlmd.ListOptions(order_by=mlmd.OrderByField.ID, is_asc=True, limit=4))
  assert [e.id for e in got] == sorted(ids)[:4]


def test_get_artifacts_by_context_with_pagination(store):
  """metadata_store_test.py: test_get_artifacts_by_context_with_pagination"""
  context_id, ids = _context_with(store, 102, "artifact")
  assert sorted(a.id for a in store.get_artifacts_by_context(context_id)) == sorted(ids)


# --- parent contexts ------------------------------------------------------------------


def test_put_parent_contexts_already_exist_error(store):
  """metadata_store_test.py: test_put_parent_contexts_already_exist_error"""
  type_id = _context_type_id(store)
  child, parent = store.put_contexts([pb.Context(type_id=type_id, name="child_context"),
                                      pb.Context(type_id=type_id, name="parent_context")])
  link = pb.ParentContext(child_id=child, parent_id=parent)
  store.put_parent_contexts([link])
  with pytest.raises(errors.AlreadyExistsError):
    store.put_parent_contexts([link])


def test_put_parent_contexts_invalid_argument_error(store):
  """metadata_store_test.py: test_put_parent_contexts_invalid_argument_error"""
  [stored] = store.put_contexts([pb.Context(type_id=_context_type_id(store), name="stored_context")])
  # Far beyond any context id given so far.
  absent, absent_too = stored + 1_000_000, stored + 1_000_001
  refused = [pb.ParentContext(), pb.ParentContext(child_id=stored), pb.ParentContext(parent_id=stored),
             pb.ParentContext(child_id=absent, parent_id=absent_too), pb.ParentContext(child_id=stored, parent_id=absent_too),
             pb.ParentContext(child_id=absent, parent_id=stored)]
  for link in refused:
    with pytest.raises(errors.InvalidArgumentError):
      store.put_parent_contexts([link])


def test_put_parent_contexts_and_get_linked_context_by_context(store):
  """metadata_store_test.py: test_put_parent_contexts_and_get_linked_context_by_context"""
  type_id = _context_type_id(store)
  ids = store.put_contexts([pb.Context(type_id=type_id, name=f"stored_context_{i}") for i in range(7)])
  # (child, parent) by position:  0 <- 1, 0 <- 2, 2 <- 3, 1 <- 6, 4 <- 5, 5 <- 6
  links = [(1, 0), (2, 0), (3, 2), (6, 1), (5, 4), (6, 5)]
  store.put_parent_contexts([pb.ParentContext(child_id=ids[c], parent_id=ids[p]) for c, p in links])
  for i, context_id in enumerate(ids):
    parents = [(c.id, c.name) for c in store.get_parent_contexts_by_context(context_id)]
    children = [(c.id, c.name) for c in store.get_children_contexts_by_context(context_id)]
    assert parents == [(ids[p], f"stored_context_{p}") for c, p in links if c == i]
    assert children == [(ids[c], f"stored_context_{c}") for c, p in links if p == i]


# --- filter_query over gRPC (deselected until it is served) ----------------------------


@KINDS
def test_get_nodes_by_filter_query(store, kind):
  """metadata_store_test.py: test_get_nodes_by_filter_query"""
  type_id = call(store, kind.put_type, sample_type(kind.type_cls, fresh()))
  nodes = [kind.node_cls(name=f"node_{i}", type_id=type_id, custom_properties={"p": pb.Value(int_value=i)})
           for i in range(200)]
  ids = call(store, kind.put_nodes, nodes)
  # Names are unique per type only, so the filter also names the type.
  got = call(store, kind.listing, list_options=mlmd.ListOptions(
      order_by=mlmd.OrderByField.ID, is_asc=True,
      filter_query=f"custom_properties.p.int_value < 21 AND name LIKE 'node_2%' AND type_id = {type_id}"))
  assert [(n.id, n.name) for n in got] == [(ids[2], "node_2"), (ids[20], "node_20")]


@KINDS
def test_get_nodes_by_filter_query_syntax_errors(store, kind):
  """metadata_store_test.py: test_get_nodes_by_filter_query_syntax_errors"""
  with pytest.raises(errors.InvalidArgumentError):
    call(store, kind.listing, list_options=mlmd.ListOptions(filter_query="invalid syntax"))


# --- lineage subgraph (deselected until it is served) ----------------------------------


def test_put_lineage_subgraph_get_lineage_subgraph(store):
  """metadata_store_test.py: test_put_lineage_subgraph_get_lineage_subgraph (the put and its reads)"""
  execution_type, artifact_type, context_type = _bare_types(store)
  existing_context = pb.Context(type_id=context_type, name="existing_context")
  [existing_context_id] = store.put_contexts([existing_context])
  contexts = [existing_context, pb.Context(type_id=context_type, name="new_context")]
  existing_execution = pb.Execution(type_id=execution_type, name="existing_execution")
  [existing_execution.id] = store.put_executions([existing_execution])
  executions = [existing_execution, pb.Execution(type_id=execution_type, name="new_execution")]
  input_artifact = pb.Artifact(type_id=artifact_type, uri="testuri")
  [input_artifact.id] = store.put_artifacts([input_artifact])
  artifacts = [input_artifact, pb.Artifact(type_id=artifact_type, uri="output_artifact")]
  # (execution index, artifact index, event): an index stands for a node the request makes.
  edges = [(0, 0, pb.Event(type=pb.Event.INPUT, execution_id=existing_execution.id, artifact_id=input_artifact.id)),
           (None, 1, pb.Event(type=pb.Event.OUTPUT, execution_id=existing_execution.id)),
           (1, None, pb.Event(type=pb.Event.INPUT, artifact_id=input_artifact.id)),
           (1, 1, pb.Event(type=pb.Event.OUTPUT))]
  # existing_context has no id in the request, so it is a duplicate name...
  with pytest.raises(errors.AlreadyExistsError):
    store.put_lineage_subgraph(executions, artifacts, contexts, edges)
  # ...unless the request says to reuse it.
  execution_ids, artifact_ids, context_ids = store.put_lineage_subgraph(
      executions, artifacts, contexts, edges, reuse_context_if_already_exist=True)
  assert (len(execution_ids), execution_ids[0]) == (2, existing_execution.id)
  assert (len(artifact_ids), artifact_ids[0]) == (2, input_artifact.id)
  assert (len(context_ids), context_ids[0]) == (2, existing_context_id)
  assert sorted((c.id, c.name) for c in store.get_contexts_by_type(store.get_context_types_by_id([context_type])[0].name)) == sorted(
      zip(context_ids, ["existing_context", "new_context"]))
  for context_id in context_ids:
    assert sorted((a.id, a.uri) for a in store.get_artifacts_by_context(context_id)) == sorted(
        zip(artifact_ids, ["testuri", "output_artifact"]))
    assert sorted((e.id, e.name) for e in store.get_executions_by_context(context_id)) == sorted(
        zip(execution_ids, ["existing_execution", "new_execution"]))
  events = {(e.execution_id, e.artifact_id): e.type for e in store.get_events_by_execution_ids(execution_ids)}
  assert events == {(execution_ids[0], artifact_ids[0]): pb.Event.INPUT, (execution_ids[0], artifact_ids[1]): pb.Event.OUTPUT,
                    (execution_ids[1], artifact_ids[0]): pb.Event.INPUT, (execution_ids[1], artifact_ids[1]): pb.Event.OUTPUT}


def test_put_lineage_subgraph_get_lineage_subgraph_with_direction(store):
  """metadata_store_test.py: test_put_lineage_subgraph_get_lineage_subgraph_with_direction"""
  # input_artifact -> execution -> output_artifact, all in one context.
  execution_type, artifact_type, context_type = _bare_types(store)
  context = pb.Context(type_id=context_type, name=fresh("c"))
  [context.id] = store.put_contexts([context])
  source, result = pb.Artifact(type_id=artifact_type, uri=fresh("in")), pb.Artifact(type_id=artifact_type, uri=fresh("out"))
  [source.id, result.id] = store.put_artifacts([source, result])
  execution = pb.Execution(type_id=execution_type, name=fresh("e"))
  [execution.id] = store.put_executions([execution])
  store.put_lineage_subgraph(
      [execution], [source, result], [context],
      [(0, 0, pb.Event(type=pb.Event.INPUT, execution_id=execution.id, artifact_id=source.id)),
       (0, 1, pb.Event(type=pb.Event.OUTPUT, execution_id=execution.id, artifact_id=result.id))])
  options = pb.LineageSubgraphQueryOptions(
      starting_executions=pb.LineageSubgraphQueryOptions.StartingNodes(filter_query=f"name = '{execution.name}'"),
      max_num_hops=2)
  names = lambda types: [t.name for t in types]  # noqa: E731
  for direction, wanted_uri in [(pb.LineageSubgraphQueryOptions.Direction.DOWNSTREAM, result.uri),
                                (pb.LineageSubgraphQueryOptions.Direction.UPSTREAM, source.uri)]:
    options.direction = direction
    got = store.get_lineage_subgraph(options)
    assert [a.uri for a in got.artifacts] == [wanted_uri]
    assert [e.name for e in got.executions] == [execution.name]
    assert [c.name for c in got.contexts] == [context.name]
    assert len(got.events) == 1
    assert names(got.artifact_types) == names(store.get_artifact_types_by_id([artifact_type]))
    assert names(got.execution_types) == names(store.get_execution_types_by_id([execution_type]))
    assert names(got.context_types) == names(store.get_context_types_by_id([context_type]))


# --- found while porting: the same calls against MLMD's in-process store agree ---------
# Not cases of metadata_store_test.py: checks of the rules the ported cases led to, each
# run against ML Metadata's own in-process store too, so the answer expected is MLMD's.


@pytest.fixture(scope="module")
def mlmd_in_process():
  config = pb.ConnectionConfig()
  config.sqlite.SetInParent()
  return mlmd.MetadataStore(config)


def _names_after_puts_by_id(store):
  """Puts by id that give another name: a context takes it, an artifact or execution never does."""
  context_type = store.put_context_type(pb.ContextType(name=fresh()))
  artifact_type = store.put_artifact_type(pb.ArtifactType(name=fresh()))
  execution_type = store.put_execution_type(pb.ExecutionType(name=fresh()))
  [context] = store.put_contexts([pb.Context(type_id=context_type, name="before")])
  [named, unnamed] = store.put_artifacts([pb.Artifact(type_id=artifact_type, name="before"), pb.Artifact(type_id=artifact_type)])
  [execution] = store.put_executions([pb.Execution(type_id=execution_type, name="before")])
  store.put_contexts([pb.Context(id=context, type_id=context_type, name="after")])
  store.put_artifacts([pb.Artifact(id=named, type_id=artifact_type, name="after"), pb.Artifact(id=unnamed, type_id=artifact_type, name="after")])
  store.put_executions([pb.Execution(id=execution, type_id=execution_type, name="after")])
  masked = store.put_contexts([pb.Context(id=context, type_id=context_type, name="masked out")], ["external_id"])
  assert masked == [context]
  return (store.get_contexts_by_id([context])[0].name, [a.name for a in store.get_artifacts_by_id([named, unnamed])],
          store.get_executions_by_id([execution])[0].name)


def test_found_names_after_puts_by_id_are_mlmds(store, mlmd_in_process):
  """A context put by id is renamed (not when the mask leaves name out); an artifact's or
  an execution's name never changes, even from none: as ML Metadata in-process."""
  assert _names_after_puts_by_id(store) == _names_after_puts_by_id(mlmd_in_process) == ("after", ["before", ""], "before")


def test_found_context_renamed_to_a_taken_name_is_refused(store):
  """Renaming a context by id to a name its type already has is refused, and nothing changes.
  (ML Metadata in-process answers INTERNAL from its unique index; this server ALREADY_EXISTS.)"""
  type_id = _context_type_id(store)
  [first, second] = store.put_contexts([pb.Context(type_id=type_id, name="first"), pb.Context(type_id=type_id, name="second")])
  with pytest.raises(errors.AlreadyExistsError):
    store.put_contexts([pb.Context(id=second, type_id=type_id, name="first")])
  assert [c.name for c in store.get_contexts_by_id([first, second])] == ["first", "second"]


def _force_reuse_without_id(store):
  """force_reuse_context reuses only contexts given by id: a new context with a taken name
  is still a duplicate."""
  execution_type = store.put_execution_type(pb.ExecutionType(name=fresh()))
  context = pb.Context(type_id=store.put_context_type(pb.ContextType(name=fresh())), name="run")
  store.put_contexts([context])
  try:
    store.put_execution(pb.Execution(type_id=execution_type), [], [context], force_reuse_context=True)
  except errors.AlreadyExistsError:
    return "ALREADY_EXISTS"
  return "reused"


def test_found_force_reuse_context_leaves_contexts_without_id_to_the_other_options(store, mlmd_in_process):
  """put_execution with force_reuse_context and a context without id that exists by name: as ML Metadata in-process."""
  assert _force_reuse_without_id(store) == _force_reuse_without_id(mlmd_in_process) == "ALREADY_EXISTS"
