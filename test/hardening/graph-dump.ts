/**
 * A whole graph as sorted strings without ids or times, so two stores built by the same
 * operations compare equal although each made its own ids at its own times: every type,
 * node, event and link, each node named by its type and content. ML Metadata ids are ids
 * too: a backend may skip the ones a refused write took (Neo4j's come from a pool).
 */
import type { NodeKind, NodeRecord, TypeKind, TypeRecord } from '../../src/graph/model.js';
import type { MetadataApi } from '../../src/service/metadata/metadata-service.js';

export interface GraphDump {
  types: string[];
  nodes: string[];
  events: string[];
  links: string[];
}

const TYPE_KINDS: TypeKind[] = ['ARTIFACT_TYPE', 'EXECUTION_TYPE', 'CONTEXT_TYPE'];
const NODE_KINDS: NodeKind[] = ['ARTIFACT', 'EXECUTION', 'CONTEXT'];

async function allNodes(api: MetadataApi, kind: NodeKind): Promise<NodeRecord[]> {
  const out: NodeRecord[] = [];
  let after: string | null = null;
  for (;;) {
    const page = await api.listNodes(kind, { first: 1000, after, orderBy: { field: 'ID', ascending: true } });
    out.push(...page.nodes);
    if (!page.hasNextPage) return out;
    after = page.endCursor;
  }
}

/** Reads every type, node, event and link of `api`'s store. */
export async function dumpGraph(api: MetadataApi): Promise<GraphDump> {
  const types = new Map<string, TypeRecord>();
  for (const kind of TYPE_KINDS) for (const t of await api.listTypes(kind)) types.set(t.id, t);
  const typeKey = (id: string): string => {
    const t = types.get(id);
    return t ? `${t.kind}:${JSON.stringify([t.name, t.version])}` : `missing type ${id}`;
  };
  const nodeKey = new Map<string, string>();
  const nodes: NodeRecord[] = [];
  for (const kind of NODE_KINDS) nodes.push(...(await allNodes(api, kind)));
  for (const n of nodes) {
    const { id: _id, mlmdId: _m, createTime: _c, updateTime: _u, typeId, ...content } = n;
    nodeKey.set(n.id, JSON.stringify({ ...content, type: typeKey(typeId) }));
  }
  const key = (id: string): string => nodeKey.get(id) ?? `missing node ${id}`;
  const artifacts = nodes.filter((n) => n.kind === 'ARTIFACT').map((n) => n.id);
  const executions = nodes.filter((n) => n.kind === 'EXECUTION').map((n) => n.id);
  const contexts = nodes.filter((n) => n.kind === 'CONTEXT').map((n) => n.id);

  const events: string[] = [];
  for (const list of await api.eventsByArtifacts(artifacts)) {
    for (const e of list) events.push(JSON.stringify([key(e.artifactId), key(e.executionId), e.type, e.path]));
  }
  const links: string[] = [];
  const members = [...artifacts, ...executions];
  (await api.contextsOfNodes(members)).forEach((list, i) => {
    for (const c of list) links.push(JSON.stringify(['member', key(members[i]!), key(c.id)]));
  });
  (await api.parentContexts(contexts)).forEach((list, i) => {
    for (const p of list) links.push(JSON.stringify(['parent', key(contexts[i]!), key(p.id)]));
  });
  return {
    types: [...types.values()].map(({ id: _id, mlmdId: _m, ...t }) => JSON.stringify(t)).sort(),
    nodes: [...nodeKey.values()].sort(),
    events: events.sort(),
    links: links.sort(),
  };
}
