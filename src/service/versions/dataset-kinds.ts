/**
 * What makes a context a dataset and an artifact one of its versions, by issue 15's shared
 * contract: the one list of dataset context types, and the custom properties a version
 * carries. Everything in src/service/versions/ reads these names from here.
 */
import type { ArtifactRecord, ContextRecord, TypeRecord } from '../../graph/model.js';
import { DVC_TYPES } from '../import/dvc-graph.js';
import { SCHEMA_PROPERTY } from '../lineage/column-lineage-facet.js';
import { OL_TYPES } from '../openlineage/openlineage-model.js';

/**
 * The context types whose contexts are datasets: OpenLineage's (name `<namespace>/<name>`)
 * and DVC's (name `<repo dir>/<path>`). Matched by type name, every version of the type.
 * The names come from the writers that make them, so a renamed type cannot drift apart.
 */
export const DATASET_CONTEXT_TYPES: readonly string[] = [OL_TYPES.dataset, DVC_TYPES.path];

/** The custom properties of a dataset version (the contract's names). */
export const VERSION_PROPERTY = {
  /** STRING: the version label. */
  version: 'version',
  /** INT: milliseconds since the epoch; the versions of a dataset are ordered by it, then by id. */
  versionTime: 'versionTime',
  /** STRING, when known (DVC: the md5). */
  digest: 'digest',
  /** STRUCT: OpenLineage's SchemaDatasetFacet as sent. */
  schemaFacet: SCHEMA_PROPERTY,
} as const;

/** The ids of the dataset context types among `contextTypes` (every kind of type may be passed; only context types count). */
export function datasetTypeIds(types: readonly TypeRecord[]): Set<string> {
  return new Set(types.filter((t) => t.kind === 'CONTEXT_TYPE' && DATASET_CONTEXT_TYPES.includes(t.name)).map((t) => t.id));
}

/** One version of a dataset: the artifact, the dataset context it is attributed to, and its contract properties. */
export interface DatasetVersion {
  artifact: ArtifactRecord;
  dataset: ContextRecord;
  /** The `version` custom property; null when absent or not text. */
  version: string | null;
  /** The `versionTime` custom property; null when absent or not a number. */
  versionTime: number | null;
  /** The `digest` custom property; null when absent or not text. */
  digest: string | null;
}

const text = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** The version entry of `artifact` in `dataset`. */
export function versionEntry(artifact: ArtifactRecord, dataset: ContextRecord): DatasetVersion {
  const custom = artifact.customProperties;
  const time = custom[VERSION_PROPERTY.versionTime];
  return {
    artifact,
    dataset,
    version: text(custom[VERSION_PROPERTY.version]),
    versionTime: typeof time === 'number' && Number.isFinite(time) ? time : null,
    digest: text(custom[VERSION_PROPERTY.digest]),
  };
}

/**
 * The sort key of a version within its dataset: versionTime, then id. A version lacking a
 * versionTime (written by hand, not by the contract) sorts at its createTime, so it still
 * takes a stable place.
 */
export const versionOrderKey = (v: DatasetVersion): [number, string] => [v.versionTime ?? v.artifact.createTime, v.artifact.id];

/** Orders versions by versionTime, then id (the contract's order). */
export function compareVersions(a: DatasetVersion, b: DatasetVersion): number {
  const [ta, ia] = versionOrderKey(a);
  const [tb, ib] = versionOrderKey(b);
  return ta - tb || (ia < ib ? -1 : ia > ib ? 1 : 0);
}
