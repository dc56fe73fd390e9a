/**
 * The Data Journey names of OpenLineage's things (docs/openlineage.md has the whole
 * mapping): the types, how a dataset, job, run and dataset version are named and keyed,
 * and the shapes of a validated event this code reads.
 */
import type { ExecutionState } from '../../graph/model.js';

export const OL_TYPES = {
  namespace: 'openlineage.Namespace',
  job: 'openlineage.Job',
  dataset: 'openlineage.Dataset',
  parentRun: 'openlineage.ParentRun',
  run: 'openlineage.Run',
  datasetVersion: 'openlineage.DatasetVersion',
} as const;

/**
 * The version a dataset read before any recorded write (and without a `version` facet)
 * is bound to: the data as it stood before Data Journey heard of a writer. A `version`
 * facet naming this very word is the same version.
 */
export const UNVERSIONED = 'unversioned';

/** A dataset's or job's context name: `<namespace>/<name>`. */
export const qualifiedName = (namespace: string, name: string): string => `${namespace}/${name}`;
/** A dataset version's artifact name: `<dataset name>@<version>`. */
export const versionName = (dataset: string, version: string): string => `${dataset}@${version}`;
/** A dataset version's externalId. */
export const versionExternalId = (dataset: string, version: string): string => `openlineage:${dataset}@${version}`;
/** A run's externalId. */
export const runExternalId = (runId: string): string => `openlineage:${runId}`;

/** The run state each event type moves a run to; OTHER (or none) moves it nowhere. */
export const STATE_OF_EVENT: Readonly<Record<string, ExecutionState>> = {
  START: 'RUNNING', RUNNING: 'RUNNING', COMPLETE: 'COMPLETE', FAIL: 'FAILED', ABORT: 'CANCELED',
};

/** How far along a state is: a run never moves back from an end to RUNNING, whatever order its events arrive in. */
export const STATE_PROGRESS: Readonly<Partial<Record<ExecutionState, number>>> = {
  UNKNOWN: 0, NEW: 0, RUNNING: 1, COMPLETE: 2, FAILED: 2, CANCELED: 2, CACHED: 2,
};

export type Facets = Record<string, Record<string, unknown>>;

export interface OlDataset {
  namespace: string;
  name: string;
  facets?: Facets;
  inputFacets?: Facets;
  outputFacets?: Facets;
}

export interface OlJob { namespace: string; name: string; facets?: Facets }

/** A RunEvent, DatasetEvent or JobEvent that passed the spec's schema (validation.ts). */
export interface OlEvent {
  eventType?: string;
  eventTime: string;
  run?: { runId: string; facets?: Facets };
  job?: OlJob;
  dataset?: OlDataset;
  inputs?: OlDataset[];
  outputs?: OlDataset[];
}
