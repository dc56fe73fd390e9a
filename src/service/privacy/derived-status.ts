/**
 * The derived personal-data status of every artifact, kept at write time so that reading
 * it (Artifact.personalData, the sources of a subject's lineage) is one lookup instead of
 * a propagation over the artifact's whole ancestry.
 *
 * An artifact's status depends only on its ancestors, so a write can change only the
 * statuses downstream of what it touched: an artifact whose declared categories it
 * changed (a new one that declares some included), every artifact using the default of
 * a type whose default it changed, the outputs of an execution whose transform it changed
 * or that it linked to something holding personal data. Those statuses are derived again,
 * in the write's transaction, by one propagation over that downstream part, which starts
 * from the stored statuses of the artifacts that feed into it from outside. The
 * propagation picks canonical routes (propagation.ts), so what is stored does not depend
 * on the order of the writes: it is what a propagation over the whole graph would give.
 *
 * Most writes change nothing and find that out from what they wrote: the records and the
 * types they resolved carry the declarations, and a write that only links nodes asks the
 * store once, after its inserts, whether any of them carries personal data
 * (carryingPersonalData). No lock is taken for them. A derivation locks the part of the
 * graph it derives (lockedRegion), not the whole store.
 *
 * The statuses depend on the AGGREGATE minimum k. The store remembers the k they were
 * derived with; a derivation under another k (a changed configuration, or a database that
 * predates them) derives them all again first, under one lock for the whole store.
 */
import type { EventRecord, PrivacyDeclaration } from '../../graph/model.js';
import { EVENT_TYPES, isInputEvent } from '../../graph/model.js';
import type { DerivedStatusRecord } from '../../graph/privacy-store.js';
import type { LineageStep, StoreTx } from '../../graph/store.js';
import { typesById } from '../shared/batch-reads.js';
import { walkDataFlow, type FlowGraph } from './data-flow-walk.js';
import { declaredKeys } from './declarations.js';
import { effectiveTransforms } from './inherited-transforms.js';
import { blocksEverything, Propagation, type KeyFacts, type SeedFact } from './propagation.js';

/** What one write transaction did that may change derived statuses; collected by the write layer's hooks. */
export interface DerivedStatusChanges {
  /** Artifacts whose declared categories (their own, else their type's) the write changed, new ones that declare some included. */
  declarations: Set<string>;
  /** Artifact types whose default names other categories: every artifact using it may change. */
  artifactTypes: Set<string>;
  /** Executions given another transform, or about to lose an input: their outputs may change. */
  executions: Set<string>;
  /** Contexts given another transform: their executions' outputs may change (inherited-transforms.ts). */
  contexts: Set<string>;
  /** Artifacts about to lose a producer. */
  artifacts: Set<string>;
  /** Events the write stored. */
  events: EventRecord[];
  /** Nodes the write created: no other write can have linked them yet. */
  inserted: Set<string>;
  /** Of those, the artifacts that declare something: they carry it from the start. */
  insertedDeclaring: Set<string>;
}

/** An empty set of changes, for a new write transaction. */
export const noDerivedStatusChanges = (): DerivedStatusChanges => ({
  declarations: new Set(), artifactTypes: new Set(), executions: new Set(), contexts: new Set(), artifacts: new Set(), events: [],
  inserted: new Set(), insertedDeclaring: new Set(),
});

/** Ids per store call when a set may be large (every artifact of a type, every declaring artifact). */
const PAGE = 10_000;

/** Derives again every status `changes` may affect, inside the write's transaction. */
export async function keepDerivedStatuses(tx: StoreTx, changes: DerivedStatusChanges, minK: number): Promise<void> {
  const start = await startOfDerivation(tx, changes);
  if (start.length === 0) return;
  if ((await tx.derivationMinK()) !== minK && await deriveAllUnlessCurrent(tx, minK)) return;
  await deriveDownstreamOf(tx, start, minK, false);
}

/**
 * The artifacts whose statuses the write may have changed, the start of the derivation;
 * empty for most writes, which find it out without a statement, or with one when they
 * linked nodes that existed before (carryingPersonalData).
 */
async function startOfDerivation(tx: StoreTx, changes: DerivedStatusChanges): Promise<string[]> {
  const start = new Set(changes.declarations);
  const touched = [...changes.artifacts, ...await artifactsOfTypes(tx, changes.artifactTypes)];
  for (const id of await artifactsThatMatter(tx, touched)) start.add(id);
  const executions = [...changes.executions, ...await executionsInheritingFrom(tx, changes.contexts)];
  for (const id of await outputsThatMatter(tx, executions)) start.add(id);
  for (const id of await outputsOfLinkedCarriers(tx, changes)) start.add(id);
  return [...start];
}

/** Every artifact of the given types, a page at a time. */
async function artifactsOfTypes(tx: StoreTx, typeIds: ReadonlySet<string>): Promise<string[]> {
  const ids: string[] = [];
  for (const typeId of typeIds) {
    for (let after: { value: string; id: string } | undefined; ;) {
      const page = await tx.listNodes({ kind: 'ARTIFACT', typeIds: [typeId], orderBy: 'id', ascending: true, after, limit: PAGE });
      for (const n of page) ids.push(n.id);
      if (page.length < PAGE) break;
      after = { value: page[page.length - 1]!.id, id: page[page.length - 1]!.id };
    }
  }
  return ids;
}

/**
 * The touched artifacts whose status can change: those that declare something, and those
 * that hold something now. Any other holds nothing before the write and after it.
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

/**
 * The outputs of the executions the write's new events let personal data into: an input
 * event from an artifact that carries some, or an output event of an execution that
 * already receives some. Whether a node that existed before the write carries anything is
 * asked once, after the write's inserts (carryingPersonalData), so that on Neo4j a
 * derivation that committed meanwhile is seen; nodes the write created carry only what
 * they declare.
 */
async function outputsOfLinkedCarriers(tx: StoreTx, changes: DerivedStatusChanges): Promise<string[]> {
  if (changes.events.length === 0) return [];
  const linked = new Set(changes.events.flatMap((e) => [e.artifactId, e.executionId]));
  const existing = [...linked].filter((id) => !changes.inserted.has(id));
  const carrying = new Set([...changes.insertedDeclaring, ...(existing.length > 0 ? await tx.carryingPersonalData(existing) : [])]);
  const fed = new Set(changes.events
    .filter((e) => carrying.has(isInputEvent(e.type) ? e.artifactId : e.executionId))
    .map((e) => e.executionId));
  if (fed.size === 0) return [];
  const steps = await tx.lineageSteps([...fed], 'DOWNSTREAM', EVENT_TYPES, null);
  return [...new Set(steps.filter((s) => s.neighborKind === 'ARTIFACT').map((s) => s.neighborId))];
}

/**
 * Derives every status again under `minK` unless another write just did; returns whether
 * it did. One lock for the whole store: two such derivations run one after the other.
 */
export async function deriveAllUnlessCurrent(tx: StoreTx, minK: number): Promise<boolean> {
  if ((await tx.lockDerivation()) === minK) return false;
  await deriveAll(tx, minK);
  return true;
}

/** Removes every stored status and derives them all from the declaring artifacts, under `minK`. */
async function deriveAll(tx: StoreTx, minK: number): Promise<void> {
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

/** The data flow into the part being derived: each producer's outputs inside it and inputs, and the inputs from outside. */
interface Inflow {
  outputsOf: Map<string, Set<string>>;
  inputsOf: Map<string, Set<string>>;
  /** Inputs of the producers that lie outside the part: their stored statuses seed it. */
  outside: string[];
}

/**
 * Derives the status of every artifact downstream of `startIds` (the start included) and
 * stores those that changed. `cleared`: nothing is stored yet, so there is nothing to
 * compare with or remove.
 */
async function deriveDownstreamOf(tx: StoreTx, startIds: readonly string[], minK: number, cleared: boolean): Promise<void> {
  const start = await artifactsAmong(tx, startIds);
  if (start.length === 0) return;
  const region = await lockedRegion(tx, start, minK);
  const inside = new Set([...region.nodes.values()].filter((n) => n.kind === 'ARTIFACT').map((n) => n.id));
  const inflow = await inflowOf(tx, inside);
  const [{ seeds, declared }, privacyOf, before] = await Promise.all([
    seedsOf(tx, inside, inflow.outside),
    transformsOf(tx, [...inflow.outputsOf.keys()]),
    cleared ? Promise.resolve([] as (DerivedStatusRecord | null)[]) : tx.derivedStatuses([...inside]),
  ]);
  const graph: FlowGraph = { nodes: region.nodes, inputsOf: inflow.inputsOf, outputsOf: inflow.outputsOf, privacyOf, blockedOutputsOf: new Map(), truncated: false };
  const propagation = new Propagation(graph, seeds, minK);
  const beforeOf = new Map([...inside].map((id, i) => [id, before[i] ?? null]));
  const changed = [...inside].flatMap((id) => {
    const facts = propagation.keyFacts(id);
    const status = facts.length === 0 ? null : statusRecord(declared.has(id), facts);
    return JSON.stringify(status) === JSON.stringify(beforeOf.get(id) ?? null) ? [] : [{ artifactId: id, status }];
  });
  if (changed.length > 0) await tx.putDerivedStatuses(changed);
}

/** The artifacts among `ids`, with their types; anything else (gone, or not an artifact) is left out. */
async function artifactsAmong(tx: StoreTx, ids: readonly string[]): Promise<{ id: string; typeId: string }[]> {
  if (ids.length === 0) return [];
  const declarations = await tx.personalDataDeclarations(ids);
  return ids.flatMap((id, i) => {
    const d = declarations[i];
    return d?.kind === 'ARTIFACT' ? [{ id, typeId: d.typeId }] : [];
  });
}

/**
 * The part of the graph whose statuses may change: closed downstream of `start`, so
 * nothing outside it depends on anything inside (a write may need a long walk; it is never
 * cut short), with every node of it locked for the derivation. Where writers run at once
 * (Neo4j), a write may have linked one of its nodes between the walk and the lock; that
 * write has committed once the lock is held, so the walk is made again until it meets no
 * node it had not locked. A write that links a locked node later waits for this one and
 * then sees its statuses.
 */
async function lockedRegion(tx: StoreTx, start: readonly { id: string; typeId: string }[], minK: number): Promise<FlowGraph> {
  const locked = new Set<string>();
  for (;;) {
    const walked = await walkDataFlow(tx, {
      start,
      direction: 'DOWNSTREAM',
      maxHops: Number.MAX_SAFE_INTEGER,
      maxNodes: Number.MAX_SAFE_INTEGER,
      blocks: (privacy) => blocksEverything(privacy, minK),
    });
    const fresh = [...walked.nodes.keys()].filter((id) => !locked.has(id));
    if (fresh.length === 0) return walked;
    const walkAgain = await tx.lockForDerivation(fresh);
    for (const id of fresh) locked.add(id);
    if (!walkAgain) return walked;
  }
}

/**
 * Every producer of an artifact inside and every input of those producers: what flows in,
 * from inside or from the stored statuses of the artifacts outside.
 */
async function inflowOf(tx: StoreTx, inside: ReadonlySet<string>): Promise<Inflow> {
  const outputsOf = new Map<string, Set<string>>();
  for (const s of await stepsInPages(tx, [...inside])) if (s.neighborKind === 'EXECUTION') addTo(outputsOf, s.neighborId, s.event.artifactId);
  const inputsOf = new Map<string, Set<string>>();
  for (const s of await stepsInPages(tx, [...outputsOf.keys()])) if (s.neighborKind === 'ARTIFACT') addTo(inputsOf, s.event.executionId, s.neighborId);
  const outside = [...new Set([...inputsOf.values()].flatMap((set) => [...set]))].filter((id) => !inside.has(id));
  return { outputsOf, inputsOf, outside };
}

/** The propagation's seeds: what the artifacts inside declare, in clear, and the stored statuses of those outside. */
async function seedsOf(
  tx: StoreTx, inside: ReadonlySet<string>, outside: readonly string[],
): Promise<{ seeds: Map<string, SeedFact[]>; declared: Set<string> }> {
  const [insideDeclarations, outsideStatuses] = await Promise.all([tx.personalDataDeclarations([...inside]), tx.derivedStatuses(outside)]);
  const types = await typesById(tx, insideDeclarations.flatMap((d) => (d ? [d.typeId] : [])));
  const seeds = new Map<string, SeedFact[]>();
  const declared = new Set<string>();
  [...inside].forEach((id, i) => {
    const keys = insideDeclarations[i] ? declaredKeys(insideDeclarations[i]!, types) : [];
    if (keys.length === 0) return;
    declared.add(id);
    seeds.set(id, keys.map((key) => ({ key, clear: true, route: [id] })));
  });
  outside.forEach((id, i) => {
    const status = outsideStatuses[i];
    if (status) seeds.set(id, seedFactsOf(status));
  });
  return { seeds, declared };
}

/** Each producer's transform, own or inherited from its contexts (null: none). */
async function transformsOf(tx: StoreTx, executionIds: readonly string[]): Promise<Map<string, PrivacyDeclaration | null>> {
  const transforms = await effectiveTransforms(tx, executionIds);
  return new Map(executionIds.map((x, i) => [x, transforms[i] ?? null]));
}

/**
 * The executions whose inherited transform the write may have changed: every execution of
 * a context given another transform, a page at a time. (An existing execution that joined
 * such a context is noted by the layer as an execution whose transform changed.)
 */
export async function executionsInheritingFrom(tx: StoreTx, contextIds: ReadonlySet<string>): Promise<string[]> {
  const ids: string[] = [];
  for (const contextId of contextIds) {
    for (let after: { value: string; id: string } | undefined; ;) {
      const page = await tx.listNodes({ kind: 'EXECUTION', contextId, orderBy: 'id', ascending: true, after, limit: PAGE });
      for (const n of page) ids.push(n.id);
      if (page.length < PAGE) break;
      after = { value: page[page.length - 1]!.id, id: page[page.length - 1]!.id };
    }
  }
  return [...new Set(ids)];
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

