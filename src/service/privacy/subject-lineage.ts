/**
 * Where one data subject's data went (GDPR Art. 15 and 17): from the artifacts registered
 * as holding the subject's records, downstream along the data flow under the propagation
 * rules. A fixed number of store round trips: the registrations, the sources' own status
 * (kept at write time; a source may itself hold derived data), one reach downstream that
 * passes only through artifacts holding personal data (no other can hold the subject's),
 * the transforms it met, the types met and the contexts of what was affected, each once.
 * Under another minimum k than the kept statuses', the sources' status is derived by an
 * upstream walk and the downstream one enters every artifact.
 */
import type { ContextRecord, SpecialCategory, TypeRecord } from '../../graph/model.js';
import type { StoreTx } from '../../graph/store.js';
import { typesById } from '../shared/batch-reads.js';
import { walkDataFlow, type FlowGraph } from './data-flow-walk.js';
import { heldKeysInTx, type PropagationSettings } from './personal-data-status.js';
import { blocksEverything, categoryOfKey, Propagation, type SeedFact } from './propagation.js';
import { compareText } from '../shared/compare-text.js';

/** An artifact holding the subject's data. */
export interface AffectedArtifact {
  artifactId: string;
  typeId: string;
  /** Events on `route`: 0 for a source. */
  distance: number;
  categories: string[];
  specialCategories: SpecialCategory[];
  /** Everything of the subject's it holds is pseudonymised (the schema's spelling of the field). */
  pseudonymized: boolean;
  /**
   * Artifact and execution ids from a source to the artifact: a shortest route that shows
   * its status (a clear route when it holds anything in clear).
   */
  route: string[];
}

export interface SubjectLineage {
  /** Whether any artifact is registered as holding the subject's records. */
  found: boolean;
  /** The registered artifacts, by id. */
  sources: string[];
  /** The sources, then everything their data reaches; by distance, then id. */
  affected: AffectedArtifact[];
  /** The affected artifacts whose type's base type is MODEL, in the same order. */
  models: AffectedArtifact[];
  /** Executions that read an affected artifact, by id. */
  executions: string[];
  /** Contexts of the affected artifacts and of those executions, by id. */
  contexts: ContextRecord[];
  /** Outputs of anonymising steps the data reached but did not pass (and reached no other way), by id. */
  anonymizedBoundary: string[];
  /** The types of the affected artifacts, by id. */
  types: Map<string, TypeRecord>;
  /** Whether maxHops or maxNodes cut the walk short. */
  truncated: boolean;
}

export interface SubjectLineageSettings extends PropagationSettings {
  /** Events from the sources the downstream walk may go. */
  maxHops: number;
}

const NOT_FOUND: Omit<SubjectLineage, 'types'> = {
  found: false, sources: [], affected: [], models: [], executions: [], contexts: [], anonymizedBoundary: [], truncated: false,
};


/** The subject's lineage from its registered sources, inside `tx`. */
export async function subjectLineageInTx(tx: StoreTx, subjectHash: string, settings: SubjectLineageSettings): Promise<SubjectLineage> {
  const [registered = []] = await tx.artifactsOfSubjects([subjectHash]);
  const declarations = await tx.personalDataDeclarations(registered);
  const start = registered.flatMap((id, i) => {
    const d = declarations[i];
    return d?.kind === 'ARTIFACT' ? [{ id, typeId: d.typeId }] : [];
  });
  if (start.length === 0) return { ...NOT_FOUND, types: new Map() };

  // What the sources hold, clear or pseudonymised, is what the subject's data is made of there.
  // The kept statuses, when current for this minimum k, give the sources' facts and let the
  // walk leave out every artifact that holds nothing.
  const kept = (await tx.derivationMinK()) === settings.minK;
  const held = await heldKeysInTx(tx, start, settings, kept);
  const sourceFacts = new Map(start.map(({ id }, i) => [id, [...held[i]!].map(([key, clear]): SeedFact => ({ key, clear, route: [id] }))]));

  const graph: FlowGraph = await walkDataFlow(tx, {
    start,
    direction: 'DOWNSTREAM',
    maxHops: settings.maxHops,
    maxNodes: settings.maxNodes,
    blocks: (privacy) => blocksEverything(privacy, settings.minK),
    overKeptStatuses: kept,
    deadline: settings.deadline,
  });
  const propagation = new Propagation(graph, sourceFacts, settings.minK);
  const blocks = (x: string): boolean => blocksEverything(graph.privacyOf.get(x) ?? null, settings.minK);

  const affectedIds = [...new Set([...start.map((s) => s.id), ...propagation.artifacts()])];
  const affected = affectedIds
    .map((id) => affectedArtifact(propagation, id, graph.nodes.get(id)!.typeId))
    .sort((a, b) => a.distance - b.distance || compareText(a.artifactId, b.artifactId));
  const { executions, boundary } = executionsAndBoundary(graph, new Set(affectedIds), blocks);

  const types = await typesById(tx, affected.map((a) => a.typeId));
  return {
    found: true,
    sources: start.map((s) => s.id).sort(compareText),
    affected,
    models: affected.filter((a) => types.get(a.typeId)?.baseType === 'MODEL'),
    executions,
    contexts: await contextsOf(tx, [...affectedIds, ...executions]),
    anonymizedBoundary: boundary,
    types,
    truncated: graph.truncated,
  };
}

/**
 * The executions the subject's data went into (an input is affected), by id, and the
 * outputs of the blocking ones it did not reach: where it stopped being the subject's.
 */
function executionsAndBoundary(
  graph: FlowGraph, affected: ReadonlySet<string>, blocks: (execution: string) => boolean,
): { executions: string[]; boundary: string[] } {
  const executions = [...graph.inputsOf]
    .filter(([, inputs]) => [...inputs].some((a) => affected.has(a)))
    .map(([x]) => x)
    .sort(compareText);
  const boundary = new Set<string>();
  for (const x of executions.filter(blocks)) {
    for (const a of [...(graph.outputsOf.get(x) ?? []), ...(graph.blockedOutputsOf.get(x) ?? [])]) {
      if (!affected.has(a)) boundary.add(a);
    }
  }
  return { executions, boundary: [...boundary].sort(compareText) };
}

function affectedArtifact(p: Propagation, artifactId: string, typeId: string): AffectedArtifact {
  const carried = p.carried(artifactId);
  const clear = carried.filter((c) => !c.pseudonymised);
  const candidates = clear.length > 0 ? clear : carried;
  // Shortest first; keys are already sorted, so the first of the shortest is the smallest key.
  const shown = candidates.reduce<(typeof candidates)[number] | undefined>((best, c) => (best === undefined || c.depth < best.depth ? c : best), undefined);
  const keys = carried.map((c) => categoryOfKey(c.key));
  const route = shown ? p.route(artifactId, shown.key) : [artifactId];
  return {
    artifactId,
    typeId,
    distance: route.length - 1,
    categories: keys.flatMap((k) => (k.category === null ? [] : [k.category])),
    specialCategories: keys.flatMap((k) => (k.specialCategory === null ? [] : [k.specialCategory])),
    pseudonymized: carried.length > 0 && clear.length === 0,
    route,
  };
}

async function contextsOf(tx: StoreTx, nodeIds: readonly string[]): Promise<ContextRecord[]> {
  return nodeIds.length === 0 ? [] : tx.contextsOfAny(nodeIds);
}
