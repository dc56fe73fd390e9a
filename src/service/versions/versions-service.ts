/**
 * The dataset versions service (issue 15): a dataset's versions in order, every version
 * of an artifact's dataset, restore (which version each downstream run read) and the diff
 * of two versions. Each call validates its arguments, then runs in one read transaction
 * with a fixed number of store calls, and assembles its answer in memory.
 */
import type { ContextRecord } from '../../graph/model.js';
import type { GraphStore } from '../../graph/store.js';
import { LINEAGE_DEFAULTS, type LineageCallOptions } from '../lineage/lineage-service.js';
import { checkLimits, validateLineageQuery, type LineageLimits } from '../lineage/lineage-args.js';
import { startDeadline } from '../shared/deadline.js';
import { compareKeys, pageOfSorted, type CountedPage, type PageArgs, type SortKey } from '../shared/paging.js';
import { MAX_TEXT_LENGTH, requireIdList, requireName } from '../shared/validate.js';
import { versionOrderKey, type DatasetVersion } from './dataset-kinds.js';
import { datasetTypesIn, versionsOfArtifactsIn, versionsOfDatasets } from './dataset-versions.js';
import { diffVersionsIn, type VersionDiff } from './version-diff.js';
import { versionsUsedIn, type VersionsUsedReport } from './versions-used.js';

export type { DatasetVersion } from './dataset-kinds.js';
export type { VersionUsed } from './dataset-versions.js';
export type { VersionDiff, ValueChange, SchemaFieldChange, UpstreamRun, UpstreamChange } from './version-diff.js';
export type { VersionsUsedReport, RunVersionsUsed, RunInputUsed } from './versions-used.js';

/** The order of Artifact.versions: by dataset (name, then id; an artifact may be in two), then the contract's order. */
const artifactVersionsKey = (v: DatasetVersion): SortKey => [v.dataset.name, v.dataset.id, ...versionOrderKey(v)];

/** One page of an artifact's versions as versionsOfArtifacts lists them (`first` 1..1,000, default 100). */
export function pageOfArtifactVersions(versions: readonly DatasetVersion[], page: PageArgs = {}): CountedPage<DatasetVersion> {
  return pageOfSorted(versions, artifactVersionsKey, 'Artifact.versions', page);
}

export interface VersionsUsedQuery {
  /** The artifact whose downstream runs are reported. */
  artifact: string;
  /** Default 20 (or the ceiling, if lower), as `lineage`. */
  maxHops?: number | null;
  /** Default 10,000 (or the ceiling, if lower), as `lineage`. */
  maxNodes?: number | null;
}

export interface VersionsApi {
  /**
   * For each artifact, every version of the dataset(s) it is a version of, in the
   * contract's order (versionTime, then id); [] for an artifact in no dataset (or no
   * artifact). One read of three store calls for the whole list (a DataLoader batch).
   */
  versionsOfArtifacts(ids: readonly string[]): Promise<DatasetVersion[][]>;
  /**
   * One page of the versions of the dataset named `name` (the contexts of every dataset
   * type with that name; `first` 1..1,000, default 100); null when no dataset has the name.
   */
  datasetVersions(name: string, page?: PageArgs): Promise<CountedPage<DatasetVersion> | null>;
  /** Restore: every run downstream of an artifact, with the version of each dataset it read. */
  versionsUsed(query: VersionsUsedQuery, options?: LineageCallOptions): Promise<VersionsUsedReport>;
  /** What changed from version `a` to version `b` of one dataset. */
  diffVersions(a: string, b: string): Promise<VersionDiff>;
}

/** Builds the versions service over a store, with the lineage ceilings its walk obeys (default: the lineage service's). */
export function createVersionsService(store: GraphStore, limits: Partial<LineageLimits> = {}): VersionsApi {
  return new VersionsService(store, checkLimits(limits));
}

class VersionsService implements VersionsApi {
  constructor(private readonly store: GraphStore, private readonly limits: LineageLimits) {}

  versionsOfArtifacts(ids: readonly string[]): Promise<DatasetVersion[][]> {
    const valid = requireIdList(ids, 'ids');
    return valid.length === 0 ? Promise.resolve([]) : this.store.read((tx) => versionsOfArtifactsIn(tx, valid));
  }

  async datasetVersions(name: string, page: PageArgs = {}): Promise<CountedPage<DatasetVersion> | null> {
    const valid = requireName(name, 'name');
    const versions = await this.store.read(async (tx) => {
      const types = [...await datasetTypesIn(tx)];
      if (types.length === 0) return null;
      const found = await tx.findNodesByName('CONTEXT', types.map((typeId) => ({ typeId, name: valid })));
      const datasets = found.filter((c): c is ContextRecord => c?.kind === 'CONTEXT');
      if (datasets.length === 0) return null;
      const byDataset = await versionsOfDatasets(tx, datasets);
      return [...byDataset.values()].flat();
    });
    if (versions === null) return null;
    // Two dataset types may both hold a context of this name (an OpenLineage dataset and a
    // DVC path): their versions are one list, in the one order.
    const key = (v: DatasetVersion): [number, string, string] => [...versionOrderKey(v), v.dataset.id];
    const sorted = versions.sort((p, q) => compareKeys(key(p), key(q)));
    // The dataset's name is part of the list's name, so a cursor of one dataset cannot page another.
    return pageOfSorted(sorted, key, `datasetVersions:${valid}`, page);
  }

  versionsUsed(query: VersionsUsedQuery, options: LineageCallOptions = {}): Promise<VersionsUsedReport> {
    const artifact = requireName(query?.artifact, 'artifact', MAX_TEXT_LENGTH);
    const valid = validateLineageQuery({
      start: [artifact], direction: 'DOWNSTREAM', maxHops: query.maxHops, maxNodes: query.maxNodes, eventTypes: ['INPUT', 'OUTPUT'],
    }, this.limits, LINEAGE_DEFAULTS);
    const deadline = options.deadline ?? startDeadline(this.limits.queryTimeoutMs);
    deadline.check();
    return this.store.read((tx) => versionsUsedIn(tx, valid, deadline));
  }

  diffVersions(a: string, b: string): Promise<VersionDiff> {
    const first = requireName(a, 'a', MAX_TEXT_LENGTH);
    const second = requireName(b, 'b', MAX_TEXT_LENGTH);
    return this.store.read((tx) => diffVersionsIn(tx, first, second));
  }
}
