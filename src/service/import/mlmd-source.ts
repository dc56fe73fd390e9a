/**
 * What an importer reads from an ML Metadata database, whatever holds it: the seam
 * between the importer (mlmd-import.ts) and a reader of one kind of database
 * (mlmd-sqlite-source.ts, mlmd-mysql-source.ts; the rows they share are assembled in mlmd-rows.ts).
 *
 * Rows come as ML Metadata stores them, values already decoded (mlmd-values.ts) to the
 * core's kinds. Every list is a page in id order after a key (keyset paging), bounded by
 * the ids a `SourceBounds` took when the import began, so a store that keeps growing
 * while it is read gives one consistent cut: a node or edge made later has a larger id,
 * and an edge is never newer than its ends.
 */
import type { ArtifactState, EventType, ExecutionState, NodeKind, PathStep, PropertyMap, TypeKind } from '../../graph/model.js';
import type { PropertyType } from '../../graph/model.js';

/** The only schema this importer reads: ML Metadata 1.14 to 1.21 write version 10. */
export const SUPPORTED_SCHEMA_VERSION = 10;

/** A database that is not an ML Metadata database this importer reads (or cannot be reached); nothing was imported. */
export class NotMlmdSourceError extends Error {}

/** Refuses a store whose MLMDEnv rows (`versions`) are not the one version this importer reads; `location` names it. */
export function requireSchemaVersion(location: string, versions: readonly (number | bigint)[]): void {
  if (versions.length === 1 && Number(versions[0]) === SUPPORTED_SCHEMA_VERSION) return;
  throw new NotMlmdSourceError(
    `${location} holds ML Metadata schema version ${versions.length === 1 ? versions[0] : `rows [${versions.join(', ')}]`}; `
    + `this importer reads version ${SUPPORTED_SCHEMA_VERSION} (what ml-metadata 1.14 to 1.21 write): `
    + 'open it once with a release of that range to migrate it',
  );
}

export interface MlmdType {
  id: number;
  kind: TypeKind;
  name: string;
  version: string | null;
  description: string | null;
  externalId: string | null;
  /** ML Metadata's base type (its ParentType row naming one of its simple types), e.g. DATASET; null when none. */
  baseType: string | null;
  properties: { name: string; type: PropertyType }[];
}

interface MlmdNodeFields {
  id: number;
  typeId: number;
  name: string | null;
  externalId: string | null;
  properties: PropertyMap;
  customProperties: PropertyMap;
  /** Milliseconds since the epoch, as ML Metadata stored them. */
  createTime: number;
  updateTime: number;
}

export interface MlmdArtifact extends MlmdNodeFields { kind: 'ARTIFACT'; uri: string | null; state: ArtifactState | null }
export interface MlmdExecution extends MlmdNodeFields { kind: 'EXECUTION'; lastKnownState: ExecutionState | null }
export interface MlmdContext extends MlmdNodeFields { kind: 'CONTEXT'; name: string }
export type MlmdNode = MlmdArtifact | MlmdExecution | MlmdContext;

export interface MlmdEvent {
  id: number;
  artifactId: number;
  executionId: number;
  type: EventType;
  path: PathStep[];
  /** Milliseconds since the epoch; null when ML Metadata kept none. */
  time: number | null;
}

/** An attribution (context and artifact) or association (context and execution), by its id. */
export interface MlmdLink { id: number; contextId: number; nodeId: number }
export interface MlmdParentLink { childId: number; parentId: number }

/** The largest id of each table when the import began: nothing past them is read. */
export interface SourceBounds {
  ARTIFACT: number;
  EXECUTION: number;
  CONTEXT: number;
  event: number;
  attribution: number;
  association: number;
}

/** How many of each the source holds within the bounds. */
export interface SourceCounts {
  types: number;
  ARTIFACT: number;
  EXECUTION: number;
  CONTEXT: number;
  events: number;
  attributions: number;
  associations: number;
  parentContexts: number;
}

/** An ML Metadata database opened for reading; every method reads within `bounds`. */
export interface MlmdSource {
  /** Where it is, for messages and as the default name of the import's origins. */
  readonly location: string;
  bounds(): Promise<SourceBounds>;
  counts(bounds: SourceBounds): Promise<SourceCounts>;
  /** Throws UnimportableError for the first value within the bounds the core cannot hold, before anything is written. */
  checkValues(bounds: SourceBounds): Promise<void>;
  /** Every type the users made (ML Metadata's own simple types, `mlmd.Dataset` and the like, are base types, not listed). */
  types(): Promise<MlmdType[]>;
  /** Up to `limit` nodes of `kind` with ids above `afterId`, in id order, with their properties. */
  nodes(kind: NodeKind, afterId: number, limit: number, bounds: SourceBounds): Promise<MlmdNode[]>;
  /** Nodes of `kind` by id (a sample to compare), with their properties; a missing id is left out. */
  nodesById(kind: NodeKind, ids: readonly number[]): Promise<MlmdNode[]>;
  events(afterId: number, limit: number, bounds: SourceBounds): Promise<MlmdEvent[]>;
  /** Events of these nodes (artifacts or executions), for walking lineage in the source. */
  eventsOf(kind: 'ARTIFACT' | 'EXECUTION', ids: readonly number[], bounds: SourceBounds): Promise<MlmdEvent[]>;
  attributions(afterId: number, limit: number, bounds: SourceBounds): Promise<MlmdLink[]>;
  associations(afterId: number, limit: number, bounds: SourceBounds): Promise<MlmdLink[]>;
  /** Parent links in (child, parent) order after `after`. */
  parentContexts(after: MlmdParentLink | null, limit: number, bounds: SourceBounds): Promise<MlmdParentLink[]>;
  /** Up to `count` ids of `kind` spread over its id range, for samples. */
  spreadIds(kind: NodeKind, count: number, bounds: SourceBounds): Promise<number[]>;
  close(): Promise<void>;
}
