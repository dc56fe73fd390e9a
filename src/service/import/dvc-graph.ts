/**
 * A DVC project's stage runs as one lineage subgraph, by the shared dataset contract
 * (docs/architecture.md, "DVC import"):
 *
 * - each dep/out path is a dataset: a context of type `dvc.Path` named `<project>/<path>`;
 * - each (path, md5) is a version: an artifact of type `dvc.FileVersion` named
 *   `<dataset>@<md5>`, externalId `dvc:<dataset>@<md5>`, attributed to its dataset, with
 *   `dataset`, `version` and `digest` (the md5), `versionTime` (the commit's time, else
 *   the import's), `size` and, for a directory, `nfiles`;
 * - each stage run is an execution of type `dvc.Stage` whose identity is the stage's name
 *   and a hash of its lock entry (command, deps, outs, params): an import of an unchanged
 *   lock finds every run it wrote before, and a `dvc repro` that changed a stage's inputs
 *   or outputs makes a new one. INPUT events from its deps, OUTPUT events to its outs;
 * - the project is a context of type `dvc.Pipeline` (the parent of its datasets) that
 *   every run is associated with; in a Git repository, HEAD is a context of type
 *   `dvc.Commit` (a child of the pipeline) that the lock's runs are associated with and
 *   its versions attributed to.
 */
import { createHash } from 'node:crypto';
import type { ArtifactInput, ContextInput, ExecutionInput, LineageSubgraphInput } from '../metadata/inputs.js';
import type { GitCommit } from './dvc-git.js';
import type { DvcFileVersion, DvcProject, DvcStageRun } from './dvc-project.js';

export const DVC_TYPES = {
  path: 'dvc.Path', version: 'dvc.FileVersion', stage: 'dvc.Stage', pipeline: 'dvc.Pipeline', commit: 'dvc.Commit',
} as const;

/** The params file DVC reads by default: its keys are named without the file. */
const DEFAULT_PARAMS_FILE = 'params.yaml';

/** The subgraph, and the parent links between its contexts (by index), which a subgraph write does not take. */
export interface DvcGraph {
  subgraph: {
    artifacts: ArtifactInput[]; executions: ExecutionInput[]; contexts: ContextInput[];
    events: NonNullable<LineageSubgraphInput['events']>;
    attributions: NonNullable<LineageSubgraphInput['attributions']>;
    associations: NonNullable<LineageSubgraphInput['associations']>;
  };
  parentLinks: { childIndex: number; parentIndex: number }[];
  /** How many of the contexts are datasets (the rest: the pipeline and the commit). */
  datasets: number;
}

const datasetName = (project: DvcProject, file: string): string => `${project.name}/${file}`;

/** The lock entry's identity: a stable hash of what the stage ran with and made (keys sorted, so YAML's order does not count). */
function runHash(stage: DvcStageRun): string {
  const file = (f: DvcFileVersion) => [f.path, f.md5];
  const canonical = stableJson({ cmd: stage.cmd, deps: stage.deps.map(file), outs: stage.outs.map(file), params: stage.params });
  return createHash('sha256').update(canonical).digest('hex').slice(0, 16);
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** A param as a custom property value: a whole number past 2^53 as its digits (JSON would round it); null has no value. */
function paramValue(value: unknown): unknown {
  if (typeof value === 'number' && Number.isInteger(value) && !Number.isSafeInteger(value)) return String(value);
  return value;
}

function stageProperties(project: DvcProject, stage: DvcStageRun): Record<string, unknown> {
  const props: Record<string, unknown> = { stage: stage.name, pipeline: project.name, cmd: stage.cmd };
  if (stage.desc !== null) props.desc = stage.desc;
  if (Object.keys(stage.params).length > 0) props.params = stage.params;
  for (const [file, values] of Object.entries(stage.params)) {
    for (const [key, value] of Object.entries(values)) {
      if (value === null || value === undefined) continue;
      props[file === DEFAULT_PARAMS_FILE ? `param:${key}` : `param:${file}:${key}`] = paramValue(value);
    }
  }
  return props;
}

/** Builds the subgraph of `project`'s lock, under `commit` when there is one; `importTime` dates versions without a commit. */
export function buildDvcGraph(project: DvcProject, commit: GitCommit | null, importTime: number): DvcGraph {
  const versionTime = commit?.time ?? importTime;
  const contexts: ContextInput[] = [{ type: DVC_TYPES.pipeline, name: project.name, externalId: `dvc:pipeline:${project.name}`, customProperties: { pipeline: project.name } }];
  const PIPELINE = 0;
  let commitIndex: number | null = null;
  if (commit) {
    commitIndex = contexts.push({
      type: DVC_TYPES.commit, name: commit.sha, externalId: `dvc:commit:${commit.sha}`,
      customProperties: { sha: commit.sha, message: commit.message, author: commit.author, time: commit.time },
    }) - 1;
  }
  const datasetIndex = new Map<string, number>();
  const artifactIndex = new Map<string, number>();
  const artifacts: ArtifactInput[] = [];
  const subgraph: DvcGraph['subgraph'] = { artifacts, executions: [], contexts, events: [], attributions: [], associations: [] };

  const version = (file: DvcFileVersion): number => {
    const dataset = datasetName(project, file.path);
    let c = datasetIndex.get(dataset);
    if (c === undefined) {
      c = contexts.push({ type: DVC_TYPES.path, name: dataset, externalId: `dvc:path:${dataset}`, customProperties: { pipeline: project.name, path: file.path } }) - 1;
      datasetIndex.set(dataset, c);
    }
    const key = `${dataset}@${file.md5}`;
    let a = artifactIndex.get(key);
    if (a === undefined) {
      const props: Record<string, unknown> = { dataset, version: file.md5, digest: file.md5, versionTime };
      if (file.size !== null) props.size = file.size;
      if (file.nfiles !== null) props.nfiles = file.nfiles;
      a = artifacts.push({ type: DVC_TYPES.version, name: key, externalId: `dvc:${key}`, uri: dataset, customProperties: props }) - 1;
      artifactIndex.set(key, a);
      subgraph.attributions.push({ contextIndex: c, artifactIndex: a });
      if (commitIndex !== null) subgraph.attributions.push({ contextIndex: commitIndex, artifactIndex: a });
    }
    return a;
  };

  for (const stage of project.stages) {
    const name = `${project.name}/${stage.name}@${runHash(stage)}`;
    const x = subgraph.executions.push({
      type: DVC_TYPES.stage, name, externalId: `dvc:${name}`, lastKnownState: 'COMPLETE', customProperties: stageProperties(project, stage),
    }) - 1;
    subgraph.associations.push({ contextIndex: PIPELINE, executionIndex: x });
    if (commitIndex !== null) subgraph.associations.push({ contextIndex: commitIndex, executionIndex: x });
    for (const dep of stage.deps) subgraph.events.push({ artifactIndex: version(dep), executionIndex: x, type: 'INPUT' });
    for (const out of stage.outs) subgraph.events.push({ artifactIndex: version(out), executionIndex: x, type: 'OUTPUT' });
  }
  const parentLinks = [...datasetIndex.values()].map((childIndex) => ({ childIndex, parentIndex: PIPELINE }));
  if (commitIndex !== null) parentLinks.push({ childIndex: commitIndex, parentIndex: PIPELINE });
  return { subgraph, parentLinks, datasets: datasetIndex.size };
}
