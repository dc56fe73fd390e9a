/**
 * The reads behind every versions answer, inside one read transaction and as whole sets:
 * a fixed number of store calls whatever the number of artifacts, datasets or versions
 * (the dataset types, the artifacts' contexts, the datasets' artifacts), assembled in memory.
 */
import type { ArtifactRecord, ContextRecord } from '../../graph/model.js';
import type { StoreTx } from '../../graph/store.js';
import { compareText } from '../shared/compare-text.js';
import { compareVersions, datasetTypeIds, versionEntry, type DatasetVersion } from './dataset-kinds.js';

/** The ids of the dataset context types (every version of each), in one listTypes call. */
export async function datasetTypesIn(tx: StoreTx): Promise<Set<string>> {
  return datasetTypeIds(await tx.listTypes('CONTEXT_TYPE'));
}

/** Each dataset's versions in the contract's order (versionTime, then id), by dataset id, in one store call. */
export async function versionsOfDatasets(tx: StoreTx, datasets: readonly ContextRecord[]): Promise<Map<string, DatasetVersion[]>> {
  const out = new Map<string, DatasetVersion[]>();
  if (datasets.length === 0) return out;
  const lists = await tx.artifactsOfContexts(datasets.map((d) => d.id));
  datasets.forEach((dataset, i) => {
    out.set(dataset.id, (lists[i] ?? []).map((a) => versionEntry(a, dataset)).sort(compareVersions));
  });
  return out;
}

/**
 * The dataset contexts each node is attributed to, aligned with `ids`, ordered by dataset
 * name, in one store call. `types` are the dataset types' ids (datasetTypesIn).
 */
export async function datasetsOf(tx: StoreTx, ids: readonly string[], types: ReadonlySet<string>): Promise<ContextRecord[][]> {
  if (ids.length === 0 || types.size === 0) return ids.map(() => []);
  const lists = await tx.contextsOfNodes(ids);
  return ids.map((_, i) => (lists[i] ?? []).filter((c) => types.has(c.typeId)).sort((a, b) => compareText(a.name, b.name)));
}

/**
 * For each artifact of `ids`, every version of the datasets it is a version of (those
 * ordered by name, each one's versions in the contract's order); [] for an artifact in no
 * dataset, or no artifact. Three store calls for the whole list.
 */
export async function versionsOfArtifactsIn(tx: StoreTx, ids: readonly string[]): Promise<DatasetVersion[][]> {
  const types = await datasetTypesIn(tx);
  const datasets = await datasetsOf(tx, ids, types);
  const distinct = new Map<string, ContextRecord>();
  for (const list of datasets) for (const d of list) distinct.set(d.id, d);
  const versions = await versionsOfDatasets(tx, [...distinct.values()]);
  return datasets.map((list) => list.flatMap((d) => versions.get(d.id) ?? []));
}

/** An artifact as a run used it: the version it is (null for an artifact in no dataset), and whether that is its dataset's newest. */
export interface VersionUsed {
  artifact: ArtifactRecord;
  /** The artifact as a version of its dataset (the first by dataset name, should it be in several); null when in none. */
  version: DatasetVersion | null;
  /** Whether it is its dataset's newest version now (versionTime, then id); null when in no dataset. */
  latest: boolean | null;
}

/**
 * The artifacts of `ids` as versions (those that are no artifact are left out), by id:
 * four store calls (the records, the dataset types, their datasets, the datasets' versions).
 */
export async function versionsUsedBy(tx: StoreTx, ids: readonly string[]): Promise<Map<string, VersionUsed>> {
  const out = new Map<string, VersionUsed>();
  const unique = [...new Set(ids)];
  if (unique.length === 0) return out;
  const artifacts = (await tx.getNodes(unique)).filter((r): r is ArtifactRecord => r?.kind === 'ARTIFACT');
  const datasets = await datasetsOf(tx, artifacts.map((a) => a.id), await datasetTypesIn(tx));
  const firstDataset = new Map<string, ContextRecord>();
  artifacts.forEach((a, i) => { const d = datasets[i]?.[0]; if (d) firstDataset.set(a.id, d); });
  const versions = await versionsOfDatasets(tx, [...new Map([...firstDataset.values()].map((d) => [d.id, d])).values()]);
  for (const artifact of artifacts) {
    const dataset = firstDataset.get(artifact.id);
    const list = dataset ? versions.get(dataset.id) ?? [] : [];
    const version = list.find((v) => v.artifact.id === artifact.id) ?? null;
    out.set(artifact.id, { artifact, version, latest: version ? list.at(-1)?.artifact.id === artifact.id : null });
  }
  return out;
}
