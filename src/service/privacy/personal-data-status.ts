/**
 * The derived personal-data status of artifacts. The writes keep every artifact's status
 * (derived-status.ts), so a read is one lookup; when those were derived under another
 * AGGREGATE minimum k than the reader's, the status is derived here instead: one upstream
 * walk from all the artifacts together, one read of the declarations and one of the types
 * met, then the propagation in memory. An artifact's status depends only on its
 * ancestors, so the fixpoint over the union of their ancestors answers for every artifact asked.
 */
import { FailedPreconditionError } from '../../graph/errors.js';
import type { SpecialCategory } from '../../graph/model.js';
import type { DerivedStatusRecord } from '../../graph/privacy-store.js';
import type { StoreTx } from '../../graph/store.js';
import type { Deadline } from '../shared/deadline.js';
import { typesById } from '../shared/batch-reads.js';
import { walkDataFlow, type FlowGraph } from './data-flow-walk.js';
import { declaredKeys } from './declarations.js';
import { blocksEverything, categoryOfKey, Propagation, type CategoryKey, type SeedFact } from './propagation.js';
import { compareText } from '../shared/compare-text.js';

/** What every propagation needs from the service's configuration. */
export interface PropagationSettings {
  /** AGGREGATE with k at or above this lets nothing through. */
  minK: number;
  /** Most nodes one walk may meet. */
  maxNodes: number;
  deadline?: Deadline;
}

/** One category an artifact holds: the declared artifact it comes from and one route from there. */
export interface CategoryEvidence {
  /** Exactly one of category and specialCategory is set. */
  category: string | null;
  specialCategory: SpecialCategory | null;
  /** Every route that brings it passes a PSEUDONYMIZE step. Spelled as the schema's field, which is the API's contract. */
  pseudonymized: boolean;
  /** A declared artifact (the artifact itself when it declares the category). */
  source: string;
  /** Artifact and execution ids from `source` to the artifact, along the data flow. */
  route: string[];
}

export interface PersonalDataStatus {
  artifactId: string;
  /** Sorted. */
  categories: string[];
  specialCategories: SpecialCategory[];
  /** The artifact declares personal data itself or through its type. */
  declared: boolean;
  /** Every category and special category it holds is pseudonymised (the schema's spelling of the field). */
  pseudonymized: boolean;
  /** The declaring artifacts its evidence starts from, by id. */
  sources: string[];
  /** One per category, categories first, each by name. */
  evidence: CategoryEvidence[];
}

/** The seeds of a propagation: the artifacts among `artifactIds` that declare something, with their type and declared keys, in clear. */
export async function declaredSeeds(
  tx: StoreTx, artifactIds: readonly string[],
): Promise<{ seeds: Map<string, SeedFact[]>; typeIdOf: Map<string, string> }> {
  const seeds = new Map<string, SeedFact[]>();
  const typeIdOf = new Map<string, string>();
  if (artifactIds.length === 0) return { seeds, typeIdOf };
  const declarations = await tx.personalDataDeclarations(artifactIds);
  const types = await typesById(tx, declarations.flatMap((d) => (d ? [d.typeId] : [])));
  artifactIds.forEach((id, i) => {
    const d = declarations[i];
    const keys = d?.kind === 'ARTIFACT' ? declaredKeys(d, types) : [];
    if (keys.length === 0) return;
    seeds.set(id, keys.map((key) => ({ key, clear: true, route: [id] })));
    typeIdOf.set(id, d!.typeId);
  });
  return { seeds, typeIdOf };
}

/** Refuses a walk the node ceiling cut short: a partial walk could leave out a category, and a status must be whole. */
export function requireWhole(graph: FlowGraph, settings: PropagationSettings, what: string): void {
  if (graph.truncated) {
    throw new FailedPreconditionError(`${what} needs a walk over more than ${settings.maxNodes} artifacts and executions, the server's node ceiling`);
  }
}

/** The propagation over the ancestors of `start` (artifacts known to exist). */
export async function upstreamPropagation(
  tx: StoreTx, start: readonly { id: string; typeId: string }[], settings: PropagationSettings,
): Promise<{ propagation: Propagation; seeds: Map<string, SeedFact[]> }> {
  const graph = await walkDataFlow(tx, {
    start,
    direction: 'UPSTREAM',
    // Hops cost a round trip each but never an unbounded answer: maxNodes bounds the walk.
    maxHops: Number.MAX_SAFE_INTEGER,
    maxNodes: settings.maxNodes,
    blocks: (privacy) => blocksEverything(privacy, settings.minK),
    deadline: settings.deadline,
  });
  requireWhole(graph, settings, 'the personal-data status');
  const artifacts = [...graph.nodes.values()].filter((n) => n.kind === 'ARTIFACT').map((n) => n.id);
  const { seeds } = await declaredSeeds(tx, artifacts);
  return { propagation: new Propagation(graph, seeds, settings.minK), seeds };
}

/**
 * Each artifact's status, aligned with `ids`: null for an id that is not an artifact, or an
 * artifact holding nothing. Read from the statuses the writes keep (derived-status.ts) when
 * they were derived under this `minK`; otherwise derived here, over the artifacts' ancestry.
 */
export async function statusesInTx(tx: StoreTx, ids: readonly string[], settings: PropagationSettings): Promise<(PersonalDataStatus | null)[]> {
  const unique = [...new Set(ids)];
  if ((await tx.derivationMinK()) === settings.minK) {
    const stored = await tx.derivedStatuses(unique);
    const byId = new Map(unique.map((id, i) => [id, stored[i] ? storedStatusOf(id, stored[i]!) : null]));
    return ids.map((id) => byId.get(id) ?? null);
  }
  return computeStatusesInTx(tx, ids, settings);
}

/** statusesInTx derived on read, over the artifacts' ancestry, whatever the writes keep. */
export async function computeStatusesInTx(tx: StoreTx, ids: readonly string[], settings: PropagationSettings): Promise<(PersonalDataStatus | null)[]> {
  const unique = [...new Set(ids)];
  const declarations = await tx.personalDataDeclarations(unique);
  const start = unique.flatMap((id, i) => {
    const d = declarations[i];
    return d?.kind === 'ARTIFACT' ? [{ id, typeId: d.typeId }] : [];
  });
  if (start.length === 0) return ids.map(() => null);
  const { propagation, seeds } = await upstreamPropagation(tx, start, settings);
  const statuses = new Map(start.map(({ id }) => [id, statusOf(propagation, seeds, id)]));
  return ids.map((id) => statuses.get(id) ?? null);
}

/**
 * The facts each source holds, clear or pseudonymised, aligned with `sources`: from the
 * kept statuses when they are current for `settings.minK` (`kept`), else from a
 * propagation over their ancestry.
 */
export async function heldKeysInTx(
  tx: StoreTx, sources: readonly { id: string; typeId: string }[], settings: PropagationSettings, kept: boolean,
): Promise<Map<CategoryKey, boolean>[]> {
  if (kept) {
    const stored = await tx.derivedStatuses(sources.map((s) => s.id));
    return stored.map((status) => new Map((status?.keys ?? []).map((k) => [k.key, k.clear !== null])));
  }
  const { propagation } = await upstreamPropagation(tx, sources, settings);
  return sources.map(({ id }) => new Map(propagation.carried(id).map((c) => [c.key, !c.pseudonymised])));
}

/** A status from what the writes keep. */
function storedStatusOf(artifactId: string, stored: DerivedStatusRecord): PersonalDataStatus {
  const evidence = stored.keys.map(({ key, clear, pseudonymised }): CategoryEvidence => {
    const route = stored.routes[(clear ?? pseudonymised)!]!;
    return { ...categoryOfKey(key), pseudonymized: clear === null, source: route[0]!, route };
  });
  return statusFromEvidence(artifactId, stored.declared, evidence);
}

function statusOf(p: Propagation, seeds: ReadonlyMap<string, unknown>, artifactId: string): PersonalDataStatus | null {
  const carried = p.carried(artifactId);
  if (carried.length === 0) return null;
  const evidence = carried.map(({ key, pseudonymised }): CategoryEvidence => {
    const route = p.route(artifactId, key);
    return { ...categoryOfKey(key), pseudonymized: pseudonymised, source: route[0]!, route };
  });
  return statusFromEvidence(artifactId, seeds.has(artifactId), evidence);
}

function statusFromEvidence(artifactId: string, declared: boolean, evidence: CategoryEvidence[]): PersonalDataStatus {
  return {
    artifactId,
    categories: evidence.flatMap((e) => (e.category === null ? [] : [e.category])),
    specialCategories: evidence.flatMap((e) => (e.specialCategory === null ? [] : [e.specialCategory])),
    declared,
    pseudonymized: evidence.every((e) => e.pseudonymized),
    sources: [...new Set(evidence.map((e) => e.source))].sort(compareText),
    evidence,
  };
}

