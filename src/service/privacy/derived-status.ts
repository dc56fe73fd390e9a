/**
 * The derived personal-data status of every artifact, kept at write time so that reading
 * it (Artifact.personalData, the sources of a subject's lineage) is one lookup instead of
 * a propagation over the artifact's whole ancestry.
 *
 * An artifact's status depends only on its ancestors, so a write can change only the
 * statuses downstream of what it touched: an artifact it created or whose declaration it
 * changed, the outputs of an execution whose transform it changed or that it gave a new
 * event, every artifact of a type whose default it changed. Those statuses are derived
 * again, in the write's transaction, by one propagation over that downstream part, which
 * starts from the stored statuses of the artifacts that feed into it from outside. The
 * propagation picks canonical routes (propagation.ts), so what is stored does not depend
 * on the order of the writes: it is what a propagation over the whole graph would give.
 *
 * The statuses depend on the AGGREGATE minimum k. The store remembers the k they were
 * derived with; a write under another k (a changed configuration, or a database that
 * predates them) derives them all again first.
 */
import { EVENT_TYPES } from '../../graph/model.js';
import type { DerivedStatusRecord } from '../../graph/privacy-store.js';
import type { LineageStep, StoreTx } from '../../graph/store.js';
import { typesById } from '../shared/batch-reads.js';
import { walkDataFlow, type FlowGraph } from './data-flow-walk.js';
import { declaredKeys } from './declarations.js';
import { blocksEverything, Propagation, type KeyFacts, type SeedFact } from './propagation.js';

/** What one write transaction touched that may change derived statuses; collected by the write steps. */
export interface DerivedStatusChanges {
  /** Artifacts created or given another declaration. */
  artifacts: Set<string>;
  /** Executions given another transform or a new event: their outputs may change. */
  executions: Set<string>;
  /** Artifact types given another personalData default: all their artifacts may change. */
  artifactTypes: Set<string>;
}

/** An empty set of changes, for a new write transaction. */
export const noDerivedStatusChanges = (): DerivedStatusChanges => ({ artifacts: new Set(), executions: new Set(), artifactTypes: new Set() });

/** Ids per store call when a set may be large (every artifact of a type, every declaring artifact). */
const PAGE = 10_000;

/** Derives again every status `changes` may affect, inside the write's transaction. */
export async function keepDerivedStatuses(tx: StoreTx, changes: DerivedStatusChanges, minK: number): Promise<void> {
  if (changes.artifacts.size === 0 && changes.executions.size === 0 && changes.artifactTypes.size === 0) return;
  if ((await tx.lockDerivation()) !== minK) {
    await deriveAll(tx, minK);
    return;
  }
  const artifacts = new Set(changes.artifacts);
  for (const typeId of changes.artifactTypes) {
    for (let after: { value: string; id: string } | undefined; ;) {
      const page = await tx.listNodes({ kind: 'ARTIFACT', typeIds: [typeId], orderBy: 'id', ascending: true, after, limit: PAGE });
      for (const n of page) artifacts.add(n.id);
      if (page.length < PAGE) break;
      after = { value: page[page.length - 1]!.id, id: page[page.length - 1]!.id };
    }
  }
  const start = [...await artifactsThatMatter(tx, [...artifacts]), ...await outputsThatMatter(tx, [...changes.executions])];
  await deriveDownstreamOf(tx, start, minK, false);
}

/**
 * The touched artifacts whose status can change: those that declare something, and those
 * that hold something now. Any other holds nothing before the write and after it (a new
 * one has no events yet), and most writes (a pipeline recording runs over data that holds
 * none) stop here.
 */
async function artifactsThatMatter(tx: StoreTx, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const [declarations, stored] = await Promise.all([tx.personalDataDeclarations(ids), tx.derivedStatuses(ids)]);
  const types = await typesById(tx, declarations.flatMap((d) => (d ? [d.typeId] : [])));
  return ids.filter((_, i) => {
    const d = declarations[i];
    return d?.kind === 'ARTIFACT' && (stored[i] !== null || declaredKeys(d, types).length > 0);
  });
}

/**
 * The outputs of the touched executions through which something can now flow, or stop
 * flowing: those of an execution with an input or an output that holds something. When
 * none does, nothing flows through it before the write or after it.
 */
async function outputsThatMatter(tx: StoreTx, executionIds: readonly string[]): Promise<string[]> {
  if (executionIds.length === 0) return [];
  const [inputs, outputs] = await Promise.all([
    tx.lineageSteps(executionIds, 'UPSTREAM', EVENT_TYPES, null),
    tx.lineageSteps(executionIds, 'DOWNSTREAM', EVENT_TYPES, null),
  ]);
  const ends = [...inputs, ...outputs].filter((s) => s.neighborKind === 'ARTIFACT');
  const endIds = [...new Set(ends.map((s) => s.neighborId))];
  const stored = await tx.derivedStatuses(endIds);
  const holding = new Set(endIds.filter((_, i) => stored[i] !== null));
  const carrying = new Set(ends.filter((s) => holding.has(s.neighborId)).map((s) => s.event.executionId));
  return [...new Set(outputs.filter((s) => s.neighborKind === 'ARTIFACT' && carrying.has(s.event.executionId)).map((s) => s.neighborId))];
}

/** Removes every stored status and derives them all from the declaring artifacts, under `minK`. */
export async function deriveAll(tx: StoreTx, minK: number): Promise<void> {
  await tx.clearDerivedStatuses();
  const declaringTypes = (await tx.listTypes('ARTIFACT_TYPE')).filter((t) => t.personalData !== undefined).map((t) => t.id);
  const start: string[] = [];
  for (let after: string | null = null; ;) {
    const page = await tx.artifactsDeclaringPersonalData(declaringTypes, after, PAGE);
    for (const id of page) start.push(id);
    if (page.length < PAGE) break;
    after = page[page.length - 1]!;
  }
  await deriveDownstreamOf(tx, start, minK, true);
  await tx.setDerivationMinK(minK);
}

/**
 * Derives the status of every artifact downstream of `startIds` (the start included) and
 * stores those that changed. `cleared`: nothing is stored yet, so there is nothing to
 * compare with or remove.
 */
async function deriveDownstreamOf(tx: StoreTx, startIds: readonly string[], minK: number, cleared: boolean): Promise<void> {
  if (startIds.length === 0) return;
  const startDeclarations = await tx.personalDataDeclarations(startIds);
  const start = startIds.flatMap((id, i) => {
    const d = startDeclarations[i];
    return d?.kind === 'ARTIFACT' ? [{ id, typeId: d.typeId }] : [];
  });
  if (start.length === 0) return;

  // The part of the graph whose statuses may change: closed downstream, so nothing outside
  // it depends on anything inside. A write may need a long walk; it is never cut short.
  const walked = await walkDataFlow(tx, {
    start,
    direction: 'DOWNSTREAM',
    maxHops: Number.MAX_SAFE_INTEGER,
    maxNodes: Number.MAX_SAFE_INTEGER,
    blocks: (privacy) => blocksEverything(privacy, minK),
  });
  const inside = [...walked.nodes.values()].filter((n) => n.kind === 'ARTIFACT');
  const insideIds = new Set(inside.map((n) => n.id));

  // Every producer of an artifact inside and every input of those producers: what flows in,
  // from inside or from the stored statuses of the artifacts outside.
  const produced = await stepsInPages(tx, [...insideIds]);
  const outputsOf = new Map<string, Set<string>>();
  for (const s of produced) if (s.neighborKind === 'EXECUTION') addTo(outputsOf, s.neighborId, s.event.artifactId);
  const inputsOf = new Map<string, Set<string>>();
  for (const s of await stepsInPages(tx, [...outputsOf.keys()])) if (s.neighborKind === 'ARTIFACT') addTo(inputsOf, s.event.executionId, s.neighborId);
  const outside = [...new Set([...inputsOf.values()].flatMap((set) => [...set]))].filter((id) => !insideIds.has(id));

  const [insideDeclarations, producerDeclarations, outsideStatuses, before] = await Promise.all([
    tx.personalDataDeclarations([...insideIds]),
    tx.personalDataDeclarations([...outputsOf.keys()]),
    tx.derivedStatuses(outside),
    cleared ? Promise.resolve([] as (DerivedStatusRecord | null)[]) : tx.derivedStatuses([...insideIds]),
  ]);
  const types = await typesById(tx, insideDeclarations.flatMap((d) => (d ? [d.typeId] : [])));

  const seeds = new Map<string, SeedFact[]>();
  const declared = new Set<string>();
  [...insideIds].forEach((id, i) => {
    const keys = insideDeclarations[i] ? declaredKeys(insideDeclarations[i]!, types) : [];
    if (keys.length === 0) return;
    declared.add(id);
    seeds.set(id, keys.map((key) => ({ key, clear: true, route: [id] })));
  });
  outside.forEach((id, i) => {
    const status = outsideStatuses[i];
    if (status) seeds.set(id, seedFactsOf(status));
  });

  const privacyOf = new Map([...outputsOf.keys()].map((x, i) => [x, producerDeclarations[i]?.privacy ?? null]));
  const graph: FlowGraph = { nodes: walked.nodes, inputsOf, outputsOf, privacyOf, blockedOutputsOf: new Map(), truncated: false };
  const propagation = new Propagation(graph, seeds, minK);

  const beforeOf = new Map([...insideIds].map((id, i) => [id, before[i] ?? null]));
  const changed: { artifactId: string; status: DerivedStatusRecord | null }[] = [];
  for (const id of insideIds) {
    const facts = propagation.keyFacts(id);
    const status = facts.length === 0 ? null : statusRecord(declared.has(id), facts);
    const old = beforeOf.get(id) ?? null;
    if (JSON.stringify(status) !== JSON.stringify(old)) changed.push({ artifactId: id, status });
  }
  if (changed.length > 0) await tx.putDerivedStatuses(changed);
}

/** The facts a stored status starts a propagation from. */
export function seedFactsOf(status: DerivedStatusRecord): SeedFact[] {
  return status.keys.flatMap(({ key, clear, pseudonymised }) => [
    ...(clear === null ? [] : [{ key, clear: true, route: status.routes[clear]! }]),
    ...(pseudonymised === null ? [] : [{ key, clear: false, route: status.routes[pseudonymised]! }]),
  ]);
}

/** A status as stored: routes shared between keys once. */
function statusRecord(declared: boolean, facts: readonly KeyFacts[]): DerivedStatusRecord {
  const routes: string[][] = [];
  const indexOf = new Map<string, number>();
  const index = (route: readonly string[] | null): number | null => {
    if (route === null) return null;
    const text = route.join(' ');
    let i = indexOf.get(text);
    if (i === undefined) {
      i = routes.push([...route]) - 1;
      indexOf.set(text, i);
    }
    return i;
  };
  return { declared, routes, keys: facts.map((f) => ({ key: f.key, clear: index(f.clear), pseudonymised: index(f.pseudonymised) })) };
}

/** Upstream steps of many nodes, a page of ids per store call. */
async function stepsInPages(tx: StoreTx, ids: readonly string[]): Promise<LineageStep[]> {
  const out: LineageStep[] = [];
  for (let i = 0; i < ids.length; i += PAGE) {
    // Appended one by one: a whole graph's steps are too many for one call's arguments.
    for (const step of await tx.lineageSteps(ids.slice(i, i + PAGE), 'UPSTREAM', EVENT_TYPES, null)) out.push(step);
  }
  return out;
}

function addTo(map: Map<string, Set<string>>, key: string, value: string): void {
  const set = map.get(key);
  if (set) set.add(value);
  else map.set(key, new Set([value]));
}
