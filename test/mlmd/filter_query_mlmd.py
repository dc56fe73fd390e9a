"""ML Metadata's own answers to filter queries, for test/mlmd/filter-query-differential.test.ts.

Reads a JSON job on stdin: a small graph (types, artifacts, executions, contexts, links,
events) and a list of queries ({kind, filter}), where `{a:NAME}`, `{e:NAME}`, `{c:NAME}` and
`{t:NAME}` in a filter stand for the id of that artifact, execution, context or type in this
store. Builds the graph in ML Metadata's in-process SQLite store, runs each query through
get_artifacts/get_executions/get_contexts(list_options=ListOptions(filter_query=...)), and
prints one JSON answer per query: {"names": [...sorted, null for unnamed]} or
{"error": "<error class>"}.
"""
import json
import os
import re
import sys
import tempfile

from ml_metadata import errors
from ml_metadata.metadata_store import metadata_store
from ml_metadata.proto import metadata_store_pb2 as pb

PROPERTY_TYPES = {'INT': pb.INT, 'DOUBLE': pb.DOUBLE, 'STRING': pb.STRING, 'BOOLEAN': pb.BOOLEAN}
VALUE_FIELDS = {'int': 'int_value', 'double': 'double_value', 'string': 'string_value', 'bool': 'bool_value'}


def set_values(target, values):
    for name, tagged in (values or {}).items():
        [(kind, value)] = tagged.items()
        setattr(target[name], VALUE_FIELDS[kind], value)


def put_types(store, job):
    ids = {}
    for t in job['types']:
        proto = {'ARTIFACT': pb.ArtifactType, 'EXECUTION': pb.ExecutionType, 'CONTEXT': pb.ContextType}[t['kind']]()
        proto.name = t['name']
        for name, kind in t.get('properties', {}).items():
            proto.properties[name] = PROPERTY_TYPES[kind]
        put = {'ARTIFACT': store.put_artifact_type, 'EXECUTION': store.put_execution_type,
               'CONTEXT': store.put_context_type}[t['kind']]
        ids[t['name']] = put(proto)
    return ids


def node(proto_class, spec, type_ids):
    proto = proto_class()
    proto.type_id = type_ids[spec['type']]
    if spec.get('name') is not None:
        proto.name = spec['name']
    if spec.get('externalId') is not None:
        proto.external_id = spec['externalId']
    if spec.get('uri') is not None:
        proto.uri = spec['uri']
    if spec.get('state') is not None:
        proto.state = pb.Artifact.State.Value(spec['state'])
    if spec.get('lastKnownState') is not None:
        proto.last_known_state = pb.Execution.State.Value(spec['lastKnownState'])
    set_values(proto.properties, spec.get('properties'))
    set_values(proto.custom_properties, spec.get('customProperties'))
    return proto


def build(store, job):
    type_ids = put_types(store, job)
    g = job['graph']
    artifact_ids = store.put_artifacts([node(pb.Artifact, a, type_ids) for a in g['artifacts']])
    execution_ids = store.put_executions([node(pb.Execution, x, type_ids) for x in g['executions']])
    context_ids = store.put_contexts([node(pb.Context, c, type_ids) for c in g['contexts']])
    ids = {
        'a': {a.get('key', a.get('name')): i for a, i in zip(g['artifacts'], artifact_ids)},
        'e': {x['name']: i for x, i in zip(g['executions'], execution_ids)},
        'c': {c['name']: i for c, i in zip(g['contexts'], context_ids)},
        't': type_ids,
    }
    attributions = [pb.Attribution(context_id=ids['c'][c], artifact_id=ids['a'][a]) for c, a in g['attributions']]
    associations = [pb.Association(context_id=ids['c'][c], execution_id=ids['e'][x]) for c, x in g['associations']]
    store.put_attributions_and_associations(attributions, associations)
    store.put_parent_contexts([pb.ParentContext(child_id=ids['c'][child], parent_id=ids['c'][parent])
                               for child, parent in g['parents']])
    store.put_events([pb.Event(artifact_id=ids['a'][a], execution_id=ids['e'][x], type=pb.Event.Type.Value(t))
                      for a, x, t in g['events']])
    return ids


def main():
    job = json.load(sys.stdin)
    folder = tempfile.mkdtemp(prefix='mlmd-filter-')
    config = metadata_store_pb2_config(os.path.join(folder, 'mlmd.sqlite'))
    store = metadata_store.MetadataStore(config)
    ids = build(store, job)
    get = {'ARTIFACT': store.get_artifacts, 'EXECUTION': store.get_executions, 'CONTEXT': store.get_contexts}
    answers = []
    for query in job['queries']:
        text = re.sub(r'\{([aect]):([^}]*)\}', lambda m: str(ids[m.group(1)][m.group(2)]), query['filter'])
        try:
            nodes = get[query['kind']](list_options=metadata_store.ListOptions(filter_query=text))
            names = [n.name if n.HasField('name') else None for n in nodes]
            answers.append({'names': sorted(names, key=lambda n: (n is not None, n or ''))})
        except errors.StatusError as e:
            answers.append({'error': type(e).__name__})
    json.dump(answers, sys.stdout)


def metadata_store_pb2_config(path):
    config = pb.ConnectionConfig()
    config.sqlite.filename_uri = path
    config.sqlite.connection_mode = pb.SqliteMetadataSourceConfig.READWRITE_OPENCREATE
    return config


if __name__ == '__main__':
    main()
