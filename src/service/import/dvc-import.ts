/**
 * `journey import dvc`: records a DVC project's stage runs (dvc-project.ts reads them,
 * dvc-graph.ts maps them) through the metadata service, so the API's validation, reuse
 * rules and write hooks (personal data) apply as to any write.
 *
 * One transaction, a fixed number of store round trips whatever the project's size: the
 * five types, one read per kind of node for what is already stored, one subgraph write,
 * one write of the parent links. Idempotent: every node has an externalId, a node stored
 * before is reused as it stands (its properties are not sent again, so a version keeps
 * the versionTime it was first seen with), and edges that exist are not written twice.
 * So a re-import after `dvc repro` adds only the new versions and runs, and one after no
 * change adds nothing.
 */
import type { NodeKind } from '../../graph/model.js';
import type { ArtifactInput, ContextInput, ExecutionInput } from '../metadata/inputs.js';
import type { MetadataApi } from '../metadata/metadata-service.js';
import { systemClock, type ServiceClock } from '../shared/clock.js';
import { headCommit, type GitLookup } from './dvc-git.js';
import { buildDvcGraph, DVC_TYPES, type DvcGraph } from './dvc-graph.js';
import { readDvcProject, type DvcProject } from './dvc-project.js';

export interface DvcImportOptions {
  /** Dates the versions first seen outside a Git repository. Default the system clock. */
  clock?: ServiceClock;
  /** Read and map only; write nothing (the counts of new nodes are still read from the store). */
  dryRun?: boolean;
}

export interface DvcImportReport {
  project: string;
  root: string;
  /** HEAD's sha, or null with `gitReason` saying why there is no commit context. */
  commit: string | null;
  gitReason: string | null;
  /** False when dvc.yaml or dvc.lock differ from HEAD: the runs recorded under the commit are not the commit's. */
  lockCommitted: boolean;
  /** What the lock holds: stage runs, distinct file versions, datasets. */
  found: { stages: number; versions: number; datasets: number };
  /** What was new to the store (with dryRun: what would be). */
  written: { executions: number; versions: number; contexts: number };
  dryRun: boolean;
  seconds: number;
}

const TYPES = [
  { kind: 'CONTEXT_TYPE', name: DVC_TYPES.pipeline, description: 'A DVC project: its dvc.yaml and dvc.lock' },
  { kind: 'CONTEXT_TYPE', name: DVC_TYPES.commit, description: 'A Git commit of a DVC project, at which its stage runs were imported' },
  { kind: 'CONTEXT_TYPE', name: DVC_TYPES.path, description: 'A file or directory a DVC stage reads or writes: a dataset, grouping its versions' },
  { kind: 'ARTIFACT_TYPE', name: DVC_TYPES.version, description: 'A version of a DVC-tracked file or directory, by its md5' },
  { kind: 'EXECUTION_TYPE', name: DVC_TYPES.stage, description: 'A run of a DVC stage, as dvc.lock records it' },
] as const;

/** A project read and mapped, not yet written: read before the store is opened, so a refused project leaves nothing behind. */
export interface PreparedDvcImport { project: DvcProject; git: GitLookup; graph: DvcGraph; started: number }

/** Reads the project at `root` and its commit, and maps them (dvc-graph.ts); writes nothing. */
export async function prepareDvcImport(root: string, clock: ServiceClock = systemClock): Promise<PreparedDvcImport> {
  const started = performance.now();
  const project = await readDvcProject(root);
  const git = await headCommit(project.root);
  return { project, git, graph: buildDvcGraph(project, git.commit, clock.now()), started };
}

/** Reads the project at `root` and records it in `api`'s store; see the file comment. */
export async function importDvc(api: MetadataApi, root: string, options: DvcImportOptions = {}): Promise<DvcImportReport> {
  return recordDvcImport(api, await prepareDvcImport(root, options.clock), options.dryRun ?? false);
}

/** Records a prepared project in one transaction (with `dryRun`, only reads what would be new). */
export async function recordDvcImport(api: MetadataApi, prepared: PreparedDvcImport, dryRun = false): Promise<DvcImportReport> {
  const { project, git, graph: { subgraph, parentLinks, datasets } } = prepared;
  const written = await api.store.inOneTransaction(async () => {
    if (!dryRun) {
      for (const t of TYPES) await api.putType(t.kind, { name: t.name, description: t.description }, { canAddFields: true, canOmitFields: true });
    }
    const [artifacts, executions, contexts] = [
      reused(await stored(api, 'ARTIFACT', subgraph.artifacts), subgraph.artifacts),
      reused(await stored(api, 'EXECUTION', subgraph.executions), subgraph.executions),
      reused(await stored(api, 'CONTEXT', subgraph.contexts), subgraph.contexts),
    ];
    const counts = { executions: executions.fresh, versions: artifacts.fresh, contexts: contexts.fresh };
    if (dryRun) return counts;
    const result = await api.putLineageSubgraph({ ...subgraph, artifacts: artifacts.inputs, executions: executions.inputs, contexts: contexts.inputs });
    await api.putParentContexts(parentLinks.map((l) => ({ childId: result.contexts[l.childIndex]!.id, parentId: result.contexts[l.parentIndex]!.id })));
    return counts;
  });
  return {
    project: project.name, root: project.root, commit: git.commit?.sha ?? null, gitReason: git.reason,
    lockCommitted: git.commit?.lockCommitted ?? true,
    found: { stages: project.stages.length, versions: subgraph.artifacts.length, datasets },
    written, dryRun, seconds: (performance.now() - prepared.started) / 1000,
  };
}

/** Which inputs are stored already, by externalId: one read. */
async function stored(api: MetadataApi, kind: NodeKind, inputs: readonly { externalId?: string | null }[]): Promise<boolean[]> {
  if (inputs.length === 0) return [];
  const found = await api.findNodesByExternalId(kind, inputs.map((i) => i.externalId!));
  return found.map((n) => n !== null);
}

/**
 * A stored node is sent as type, name and externalId only: reuse finds it and changes
 * nothing, where its properties sent again could differ (a version's versionTime, a
 * stage's desc edited since) and be refused.
 */
function reused<T extends ArtifactInput | ExecutionInput | ContextInput>(isStored: readonly boolean[], inputs: readonly T[]): { inputs: T[]; fresh: number } {
  return {
    inputs: inputs.map((input, i) => (isStored[i] ? { type: input.type, name: input.name, externalId: input.externalId } as T : input)),
    fresh: isStored.filter((s) => !s).length,
  };
}
