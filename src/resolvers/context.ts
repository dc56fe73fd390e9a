/** What every resolver receives as its context: built once per request by the yoga context factory. */
import type { ApiKeyApi, Caller } from '../service/keys/api-keys.js';
import type { Deadline } from '../service/shared/deadline.js';
import type { GraphQLError } from 'graphql';
import type { LineageApi } from '../service/lineage/lineage-service.js';
import type { MetadataApi } from '../service/metadata/metadata-service.js';
import type DataLoader from 'dataloader';
import type { FieldPersonalData, PersonalDataApi, PersonalDataStatus } from '../service/privacy/personal-data-service.js';
import type { DatasetVersion, VersionsApi } from '../service/versions/versions-service.js';
import type { WriteActor } from '../service/privacy/tracking-changes.js';
import type { Loaders } from './loaders.js';

/**
 * The operation's count of its answer's bytes, as far as resolvers and the mutation
 * transaction see it. The counting itself is src/server/response-size.ts's ResponseBudget;
 * spelled here so the resolvers import nothing from the server layer.
 */
export interface ResponseCount {
  /** The error that ended the operation, once the ceiling was passed. */
  readonly exceeded: GraphQLError | null;
  /** Starts the count again, for a mutation operation run again. */
  reset(): void;
}

export interface RequestContext {
  api: MetadataApi;
  lineage: LineageApi;
  loaders: Loaders;
  /** Who is calling: the API key's id (null in open local mode) and its role. Set per request by src/server/auth.ts. */
  caller: Caller;
  /** What the caller's role may do (src/server/authorization.ts's table), for Query.me to report. */
  permissions: readonly string[];
  /** The caller as the writes need it: for their audit entries, and the rule for tracking changes (src/server/authorization.ts). */
  writer: WriteActor;
  /** API key management (admin only; see src/server/authorization.ts). */
  keys: ApiKeyApi;
  /** The personal-data features (src/service/privacy/). */
  privacy: PersonalDataApi;
  /**
   * The operation's one time budget (JOURNEY_QUERY_TIMEOUT_MS), started when the request's
   * context is made and passed to every walk the operation makes: fields share it.
   */
  deadline: Deadline;
  /** The operation's count of its answer's bytes against JOURNEY_MAX_RESPONSE_BYTES (src/server/response-size.ts). */
  responseBudget: ResponseCount;
  /** Artifact.personalData's batch loader, made on the request's first use (privacy-resolvers.ts). */
  personalDataStatus?: DataLoader<string, PersonalDataStatus | null>;
  /** Dataset versions: a dataset's versions, restore, diffs (src/service/versions/). */
  versions: VersionsApi;
  /** Artifact.versions' batch loader, made on the request's first use (version-resolvers.ts). */
  datasetVersionsOf?: DataLoader<string, DatasetVersion[]>;
  /** Artifact.fieldPersonalData's batch loader, made on the request's first use (privacy-resolvers.ts). */
  fieldPersonalData?: DataLoader<string, FieldPersonalData[]>;
}

/**
 * Forgets everything the request has read: called before each run of a mutation
 * operation, since a run the store rolled back and runs again may have read what is gone.
 */
export function forgetReads(ctx: RequestContext): void {
  ctx.loaders.clearAll();
  ctx.personalDataStatus = undefined;
  ctx.datasetVersionsOf = undefined;
  ctx.fieldPersonalData = undefined;
  ctx.responseBudget.reset();
}
