"""Reads an ML Metadata store through ml-metadata's own client and prints (JSON, on stdout)
every answer, ids and times included: run against ML Metadata in process over the
source (SQLite or MySQL) and against Data Journey's gRPC face after an import into an
empty store, the two outputs must be equal.

usage: read_mlmd_store.py STORE   (see mlmd_connection.py for STORE)
"""
import json
import sys

from google.protobuf import json_format
from ml_metadata import errors, metadata_store
from ml_metadata.proto import metadata_store_pb2 as pb
from mlmd_connection import connection_config

store = metadata_store.MetadataStore(connection_config(sys.argv[1]))


def message(m):
    # Every field the message holds, int64s as strings (json_format's own choice): nothing
    # rounded. A proto_value's Any is printed as its type_url and bytes: json_format would
    # try to unpack it, and the store holds Anys of messages no pool here knows.
    protos = {}
    if isinstance(m, (pb.Artifact, pb.Execution, pb.Context)):
        m = type(m).FromString(m.SerializeToString())
        for field in ('properties', 'custom_properties'):
            values = getattr(m, field)
            for name in [n for n, v in values.items() if v.WhichOneof('value') == 'proto_value']:
                protos[(field, name)] = {'proto_value': {'type_url': values[name].proto_value.type_url, 'value': values[name].proto_value.value.hex()}}
                del values[name]
    d = json_format.MessageToDict(m, preserving_proto_field_name=True)
    for (field, name), v in protos.items():
        d.setdefault(field, {})[name] = v
    return d


def answer(call):
    """A read's answer, or the error code it gives (ML Metadata's quirks are answers too)."""
    try:
        return call()
    except errors.StatusError as e:
        return {'error': type(e).__name__}


def messages(call):
    got = answer(call)
    return got if isinstance(got, dict) else [message(m) for m in got]


def events(call):
    # ML Metadata answers events in its table's order (by event id), which its API leaves
    # unspecified and Data Journey does not keep (its events have no id): compared as sets.
    got = messages(call)
    return got if isinstance(got, dict) else sorted(got, key=lambda e: json.dumps(e, sort_keys=True))


artifacts = store.get_artifacts()
executions = store.get_executions()
contexts = store.get_contexts()
a_ids = [a.id for a in artifacts]
x_ids = [x.id for x in executions]
c_ids = [c.id for c in contexts]
out = {
    'artifact_types': messages(store.get_artifact_types),
    'execution_types': messages(store.get_execution_types),
    'context_types': messages(store.get_context_types),
    'artifacts': [message(a) for a in artifacts],
    'executions': [message(x) for x in executions],
    'contexts': [message(c) for c in contexts],
    'artifacts_by_id': messages(lambda: store.get_artifacts_by_id(a_ids[::2])),
    'executions_by_id': messages(lambda: store.get_executions_by_id(x_ids[::-1])),
    'contexts_by_id': messages(lambda: store.get_contexts_by_id(c_ids)),
    'events_by_execution': events(lambda: store.get_events_by_execution_ids(x_ids)),
    'events_by_artifact': events(lambda: store.get_events_by_artifact_ids(a_ids)),
    'contexts_by_artifact': {a: messages(lambda: store.get_contexts_by_artifact(a)) for a in a_ids[:20]},
    'contexts_by_execution': {x: messages(lambda: store.get_contexts_by_execution(x)) for x in x_ids[:20]},
    'artifacts_by_context': {c: messages(lambda: store.get_artifacts_by_context(c)) for c in c_ids},
    'executions_by_context': {c: messages(lambda: store.get_executions_by_context(c)) for c in c_ids},
    'parent_contexts': {c: messages(lambda: store.get_parent_contexts_by_context(c)) for c in c_ids},
    'children_contexts': {c: messages(lambda: store.get_children_contexts_by_context(c)) for c in c_ids},
}
print(json.dumps(out, sort_keys=True))
