/**
 * What the OpenLineage tests share: spec-shaped events (as openlineage-python and the
 * Spark integration send them), posting them over real HTTP, and the whole graph written
 * as a comparable text (names instead of ids, times of writing left out).
 */
import { gzipSync } from 'node:zlib';
import type { NodeKind, NodeRecord } from '../../src/graph/model.js';
import type { MetadataApi } from '../../src/service/metadata/metadata-service.js';

export const PRODUCER = 'https://github.com/OpenLineage/OpenLineage/tree/1.23.0/integration/spark';
const SCHEMA_URL = 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent';
const facet = (name: string): { _producer: string; _schemaURL: string } => ({
  _producer: PRODUCER, _schemaURL: `https://openlineage.io/spec/facets/1-0-1/${name}.json#/$defs/${name}`,
});

export const RUN_ID = '0176a8c2-fe01-7439-87e6-56a1a1b4029f';
export const OTHER_RUN_ID = '0176a8c2-fe01-7439-87e6-56a1a1b40300';
export const PARENT_RUN_ID = '0176a8c2-fe01-7439-87e6-56a1a1b4aaaa';

export interface DatasetSpec { namespace: string; name: string; facets?: Record<string, unknown>; outputFacets?: Record<string, unknown> }

/** A schema facet with the given columns (all STRING). */
export const schemaFacet = (...fields: string[]): Record<string, unknown> => ({
  ...facet('SchemaDatasetFacet'), fields: fields.map((name) => ({ name, type: 'STRING' })),
});

export const versionFacet = (datasetVersion: string): Record<string, unknown> => ({ ...facet('DatasetVersionDatasetFacet'), datasetVersion });

/** A RunEvent of a Spark-style job, with what a test adds. */
export function runEvent(eventType: string, eventTime: string, options: {
  runId?: string; job?: { namespace: string; name: string; facets?: Record<string, unknown> };
  runFacets?: Record<string, unknown>; inputs?: DatasetSpec[]; outputs?: DatasetSpec[];
} = {}): Record<string, unknown> {
  return {
    eventType, eventTime, producer: PRODUCER, schemaURL: SCHEMA_URL,
    run: { runId: options.runId ?? RUN_ID, facets: options.runFacets ?? {} },
    job: options.job ?? { namespace: 'spark-prod', name: 'daily_orders.enrich', facets: {} },
    inputs: options.inputs ?? [], outputs: options.outputs ?? [],
  };
}

export const nominalTimeFacet = (start: string, end?: string): Record<string, unknown> => ({
  ...facet('NominalTimeRunFacet'), nominalStartTime: start, ...(end ? { nominalEndTime: end } : {}),
});
export const errorMessageFacet = (message: string): Record<string, unknown> => ({
  ...facet('ErrorMessageRunFacet'), message, programmingLanguage: 'JAVA',
});
export const parentFacet = (runId: string, namespace: string, name: string): Record<string, unknown> => ({
  ...facet('ParentRunFacet'), run: { runId }, job: { namespace, name },
});
export const sqlFacet = (query: string): Record<string, unknown> => ({ ...facet('SQLJobFacet'), query });

export const RAW_ORDERS: DatasetSpec = { namespace: 'postgres://db.example:5432', name: 'shop.public.orders' };
export const ENRICHED: DatasetSpec = { namespace: 's3://lake', name: 'warehouse/orders_enriched' };

export interface Posted { status: number; body: any; text: string }

/** POSTs `body` (JSON-encoded unless a Buffer) to `path` of `origin`. */
export async function post(origin: string, path: string, body: unknown, headers: Record<string, string> = {}, gzip = false): Promise<Posted> {
  const json = Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body));
  const payload = gzip ? gzipSync(json) : json;
  const res = await fetch(`${origin}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(gzip ? { 'content-encoding': 'gzip' } : {}), ...headers },
    body: new Uint8Array(payload),
  });
  const text = await res.text();
  let parsed: unknown = null;
  try { parsed = text === '' ? null : JSON.parse(text); } catch { parsed = text; }
  return { status: res.status, body: parsed, text };
}

export const postEvent = (origin: string, event: unknown, headers: Record<string, string> = {}): Promise<Posted> =>
  post(origin, '/api/v1/lineage', event, headers);
export const postBatch = (origin: string, events: unknown[], headers: Record<string, string> = {}): Promise<Posted> =>
  post(origin, '/api/v1/lineage/batch', events, headers);

/** Every node, as `type:name`, of one kind. */
export async function nodesOf(api: MetadataApi, kind: NodeKind): Promise<NodeRecord[]> {
  const out: NodeRecord[] = [];
  let after: string | null = null;
  for (;;) {
    const page = await api.listNodes(kind, { first: 1000, after });
    out.push(...page.nodes);
    if (!page.hasNextPage) return out;
    after = page.endCursor;
  }
}

/**
 * The whole graph as sorted lines of text: every node with its type, name, externalId,
 * uri, state and custom properties, every event, attribution, association and parent
 * link by the names of their ends. Ids and write times are left out: two graphs built in
 * a different order compare equal when they hold the same.
 */
export async function graphText(api: MetadataApi): Promise<string[]> {
  const types = new Map<string, string>();
  for (const kind of ['ARTIFACT_TYPE', 'EXECUTION_TYPE', 'CONTEXT_TYPE'] as const) for (const t of await api.listTypes(kind)) types.set(t.id, t.name);
  const [artifacts, executions, contexts] = await Promise.all([nodesOf(api, 'ARTIFACT'), nodesOf(api, 'EXECUTION'), nodesOf(api, 'CONTEXT')]);
  const label = new Map<string, string>();
  for (const n of [...artifacts, ...executions, ...contexts]) label.set(n.id, `${types.get(n.typeId)}:${n.name}`);
  const lines: string[] = [];
  for (const n of [...artifacts, ...executions, ...contexts]) {
    lines.push(`node ${label.get(n.id)} ${JSON.stringify({
      externalId: n.externalId, uri: n.kind === 'ARTIFACT' ? n.uri : undefined, state: n.kind === 'ARTIFACT' ? n.state : n.kind === 'EXECUTION' ? n.lastKnownState : undefined,
      properties: sorted(n.properties), customProperties: sorted(n.customProperties),
    })}`);
  }
  const events = await api.eventsByExecutions(executions.map((x) => x.id));
  for (const list of events) for (const e of list) lines.push(`event ${label.get(e.executionId)} ${e.type} ${label.get(e.artifactId)}`);
  const memberships = await api.contextsOfNodes([...artifacts, ...executions].map((n) => n.id));
  [...artifacts, ...executions].forEach((n, i) => { for (const c of memberships[i]!) lines.push(`in ${label.get(n.id)} ${label.get(c.id)}`); });
  const parents = await api.parentContexts(contexts.map((c) => c.id));
  contexts.forEach((c, i) => { for (const p of parents[i]!) lines.push(`parent ${label.get(c.id)} ${label.get(p.id)}`); });
  return lines.sort();
}

function sorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sorted);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sorted((value as Record<string, unknown>)[k])]));
  }
  return value;
}

/** The node of `type` named `name`, or undefined. */
export async function nodeNamed(api: MetadataApi, kind: NodeKind, type: string, name: string): Promise<NodeRecord | undefined> {
  return (await api.findNodeByName(kind, type, name)) ?? undefined;
}

/** Every permutation of `items`. */
export function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [items.slice()];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}
