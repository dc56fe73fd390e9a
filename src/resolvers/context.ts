/** What every resolver receives as its context: built once per request by the yoga context factory. */
import type { LineageApi } from '../service/lineage-service.js';
import type { MetadataApi } from '../service/metadata-service.js';
import type { Loaders } from './loaders.js';

export interface RequestContext {
  api: MetadataApi;
  lineage: LineageApi;
  loaders: Loaders;
}
