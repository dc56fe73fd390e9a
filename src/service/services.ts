/**
 * Where the services are composed: the core's metadata service with the layers over its
 * writes, and the services of those layers, sharing one configuration. Personal data is
 * the one layer today (src/service/privacy/personal-data-layer.ts); the core itself
 * (src/service/metadata/, lineage/, shared/) imports nothing of it.
 */
import type { GraphStore } from '../graph/store.js';
import { createMetadataService, type MetadataApi } from './metadata/metadata-service.js';
import type { ServiceClock } from './shared/clock.js';
import { createPersonalDataService, type PersonalDataApi } from './privacy/personal-data-service.js';
import { personalDataLayer } from './privacy/personal-data-layer.js';
import { personalDataSettings, type PersonalDataSettings } from './privacy/personal-data-settings.js';
import type { SubjectKey } from './privacy/subject-key.js';

export interface ServicesOptions {
  clock?: ServiceClock;
  /** The key subject identifiers are hashed with; default null: the subject operations are refused. */
  subjectKey?: SubjectKey | null;
  /** Built once and shared by the write layer and the personal-data service. Default: personalDataSettings(). */
  personalData?: PersonalDataSettings;
}

export interface Services {
  metadata: MetadataApi;
  personalData: PersonalDataApi;
  settings: PersonalDataSettings;
}

/** The metadata service with personal data over its writes, and the personal-data service, over one store. */
export function createServices(store: GraphStore, options: ServicesOptions = {}): Services {
  const settings = options.personalData ?? personalDataSettings();
  const clock = options.clock;
  return {
    metadata: createMetadataService(store, { clock, layers: [personalDataLayer(settings)] }),
    personalData: createPersonalDataService(store, { subjectKey: options.subjectKey ?? null, settings, clock }),
    settings,
  };
}
