/** What every resolver receives as its context: built once per request by the yoga context factory. */
import type { ApiKeyApi, Caller } from '../service/api-keys.js';
import type { LineageApi } from '../service/lineage-service.js';
import type { MetadataApi } from '../service/metadata-service.js';
import type DataLoader from 'dataloader';
import type { PersonalDataApi, PersonalDataStatus } from '../service/privacy/personal-data-service.js';
import type { WriteActor } from '../service/privacy/tracking-changes.js';
import type { Loaders } from './loaders.js';

export interface RequestContext {
  api: MetadataApi;
  lineage: LineageApi;
  loaders: Loaders;
  /** Who is calling: the API key's id (null in open local mode) and its role. Set per request by src/server/auth.ts. */
  caller: Caller;
  /** The caller as the writes need it: for their audit entries, and the rule for tracking changes (src/server/authorization.ts). */
  writer: WriteActor;
  /** API key management (admin only; see src/server/authorization.ts). */
  keys: ApiKeyApi;
  /** The personal-data features (src/service/privacy/). */
  privacy: PersonalDataApi;
  /** Artifact.personalData's batch loader, made on the request's first use (privacy-resolvers.ts). */
  personalDataStatus?: DataLoader<string, PersonalDataStatus | null>;
}
