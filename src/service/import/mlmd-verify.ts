/**
 * After an import, checks the store against the source, reading both again: counts per
 * kind (types found by name and version, nodes by their recorded origins, edges found
 * between the imported ends), a sample of nodes compared field by field, and a sample of
 * lineage answers: a walk over the source's Event table from a few artifacts, each way,
 * against the lineage service's walk from the same nodes in the store.
 */
import { EVENT_TYPES, isInputEvent, type NodeKind, type NodeRecord } from '../../graph/model.js';
import type { LineageApi } from '../lineage/lineage-service.js';
import type { MetadataApi } from '../metadata/metadata-service.js';
import { sameJson } from '../shared/canonical-json.js';
import { ImportRun } from './mlmd-import.js';
import type { MlmdNode, MlmdSource, SourceBounds, SourceCounts } from './mlmd-source.js';

/** One thing compared: equal or not, and what each side said. */
export interface Check { what: string; source: string; store: string; equal: boolean }

export interface VerifyOptions {
  source: string;
  bounds: SourceBounds;
  counts: SourceCounts;
  /** Nodes compared per kind. Default 20. */
  sampleNodes?: number;
  /** Start artifacts of the lineage sample. Default 5. */
  sampleWalks?: number;
  /** Hops of each sample walk. Default 4. */
  hops?: number;
}

const NODE_KINDS: readonly NodeKind[] = ['CONTEXT', 'ARTIFACT', 'EXECUTION'];

/** Compares the store with the source; every check is returned, equal or not. */
export async function verifyImport(api: MetadataApi, lineage: LineageApi, source: MlmdSource, options: VerifyOptions): Promise<Check[]> {
  const { bounds, counts } = options;
  const checks: Check[] = [];
  const count = (what: string, a: number, b: number): void => { checks.push({ what, source: String(a), store: String(b), equal: a === b }); };
  const types = await source.types();
  const found = await Promise.all(types.map((t) => api.findType(t.kind, t.name, t.version)));
  count('types', types.length, found.filter((t) => t !== null).length);
  const imported = await api.store.read(async (tx) => Promise.all(NODE_KINDS.map((k) => tx.countImportedNodes(options.source, k))));
  NODE_KINDS.forEach((k, i) => count(`${k.toLowerCase()}s`, counts[k], imported[i]!));
  const run = new ImportRun(api, source, options.source, bounds, 10_000, () => undefined);
  run.rememberTypes(types);
  count('events', counts.events, await run.events(counts.events, false));
  count('attributions, associations and parent contexts', counts.attributions + counts.associations + counts.parentContexts,
    await run.links(counts.attributions + counts.associations + counts.parentContexts, false));

  for (const kind of NODE_KINDS) checks.push(...await compareNodes(api, run, source, options, kind));
  checks.push(...await compareLineage(api, lineage, source, options));
  return checks;
}

/** A node's fields as the service's input would carry them, for comparing source and store alike. */
function fieldsOf(record: NodeRecord, typeName: { name: string; version: string | null }): unknown {
  return {
    createTime: record.createTime, updateTime: record.updateTime,
    type: typeName.name, typeVersion: typeName.version, name: record.name, externalId: record.externalId,
    properties: record.properties, customProperties: record.customProperties,
    ...(record.kind === 'ARTIFACT' ? { uri: record.uri, state: record.state } : {}),
    ...(record.kind === 'EXECUTION' ? { lastKnownState: record.lastKnownState } : {}),
  };
}

async function compareNodes(api: MetadataApi, run: ImportRun, source: MlmdSource, options: VerifyOptions, kind: NodeKind): Promise<Check[]> {
  const ids = await source.spreadIds(kind, options.sampleNodes ?? 20, options.bounds);
  const nodes = await source.nodesById(kind, ids);
  const targets = await api.store.read((tx) => tx.importedNodeIds(options.source, kind, nodes.map((n) => n.id)));
  const records = await api.getNodes(targets.filter((t): t is string => t !== null));
  const byId = new Map(records.filter((r): r is NodeRecord => r !== null).map((r) => [r.id, r]));
  const types = new Map((await api.getTypes([...new Set([...byId.values()].map((r) => r.typeId))]))
    .flatMap((t) => (t ? [[t.id, { name: t.name, version: t.version }] as const] : [])));
  return nodes.map((n: MlmdNode, i) => {
    const wanted = { ...(run.nodeInput(n) as object) } as Record<string, unknown>;
    // The core gives an artifact or execution without a state UNKNOWN, as ML Metadata's API reads a missing one.
    if (n.kind === 'ARTIFACT' && n.state === null) wanted.state = 'UNKNOWN';
    if (n.kind === 'EXECUTION' && n.lastKnownState === null) wanted.lastKnownState = 'UNKNOWN';
    const record = targets[i] ? byId.get(targets[i]!) : undefined;
    const got = record ? fieldsOf(record, types.get(record.typeId) ?? { name: '?', version: null }) : null;
    return { what: `${kind.toLowerCase()} ${n.id}`, source: JSON.stringify(wanted), store: JSON.stringify(got), equal: got !== null && sameJson(wanted, got) };
  });
}

/**
 * Walks the source's events breadth first from `start` (an artifact), every event type,
 * as the lineage service does: UPSTREAM goes from an artifact to the executions that
 * output it and from an execution to the artifacts it took in; DOWNSTREAM the other way.
 * Answers `kind:id` of each node met, with its smallest distance.
 */
async function sourceWalk(source: MlmdSource, bounds: SourceBounds, start: number, direction: 'UPSTREAM' | 'DOWNSTREAM', hops: number): Promise<Map<string, number>> {
  const met = new Map<string, number>([[`ARTIFACT:${start}`, 0]]);
  let frontier: { kind: 'ARTIFACT' | 'EXECUTION'; id: number }[] = [{ kind: 'ARTIFACT', id: start }];
  for (let hop = 1; hop <= hops && frontier.length > 0; hop += 1) {
    const next: typeof frontier = [];
    for (const kind of ['ARTIFACT', 'EXECUTION'] as const) {
      const ids = frontier.filter((f) => f.kind === kind).map((f) => f.id);
      if (ids.length === 0) continue;
      for (const e of await source.eventsOf(kind, ids, bounds)) {
        // Data flows artifact -> execution for an input event, execution -> artifact otherwise.
        const intoExecution = isInputEvent(e.type);
        const follows = kind === 'ARTIFACT' ? intoExecution === (direction === 'DOWNSTREAM') : intoExecution === (direction === 'UPSTREAM');
        if (!follows) continue;
        const other = kind === 'ARTIFACT' ? { kind: 'EXECUTION' as const, id: e.executionId } : { kind: 'ARTIFACT' as const, id: e.artifactId };
        const key = `${other.kind}:${other.id}`;
        if (!met.has(key)) { met.set(key, hop); next.push(other); }
      }
    }
    frontier = next;
  }
  return met;
}

async function compareLineage(api: MetadataApi, lineage: LineageApi, source: MlmdSource, options: VerifyOptions): Promise<Check[]> {
  const hops = options.hops ?? 4;
  const starts = await source.spreadIds('ARTIFACT', options.sampleWalks ?? 5, options.bounds);
  const checks: Check[] = [];
  for (const start of starts) {
    for (const direction of ['UPSTREAM', 'DOWNSTREAM'] as const) {
      const walked = await sourceWalk(source, options.bounds, start, direction, hops);
      const keys = [...walked.keys()];
      const ids = await Promise.all((['ARTIFACT', 'EXECUTION'] as const).map(async (kind) => {
        const of = keys.filter((k) => k.startsWith(`${kind}:`));
        const mapped = await api.store.read((tx) => tx.importedNodeIds(options.source, kind, of.map((k) => Number(k.slice(kind.length + 1)))));
        return of.map((k, i) => [mapped[i] ?? `unimported ${k}`, walked.get(k)!] as const);
      }));
      const wanted = new Map(ids.flat());
      const startId = [...wanted.entries()].find(([, d]) => d === 0)?.[0];
      const answer = startId?.startsWith('unimported')
        ? null
        : await lineage.lineage({ start: [startId!], direction, maxHops: hops, eventTypes: EVENT_TYPES, maxNodes: 100_000 }, { records: false });
      const got = new Map((answer?.nodes ?? []).map((n) => [n.id, n.distance] as const));
      const show = (m: ReadonlyMap<string, number>): string => `${m.size} nodes, distances [${[...m.values()].sort((a, b) => a - b).join(',')}]`;
      checks.push({
        what: `lineage ${direction.toLowerCase()} ${hops} hops from artifact ${start}`, source: show(wanted), store: show(got),
        equal: sameJson(Object.fromEntries([...wanted].sort()), Object.fromEntries([...got].sort())),
      });
    }
  }
  return checks;
}

