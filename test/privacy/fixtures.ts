/**
 * Pieces the personal-data tests share: the types they build on, small builders for
 * artifacts and steps (an execution with its input and output events), a subject key
 * whose secret is fixed, and a service over a test's store.
 */
import type { ArtifactRecord, ExecutionRecord, SpecialCategory } from '../../src/graph/model.js';
import type { GraphStore } from '../../src/graph/store.js';
import type { MetadataApi, ServiceClock } from '../../src/service/metadata/metadata-service.js';
import type { PersonalDataInput, PrivacyInput } from '../../src/service/privacy/declarations.js';
import { createPersonalDataService, type PersonalDataApi } from '../../src/service/privacy/personal-data-service.js';
import { personalDataSettings } from '../../src/service/privacy/personal-data-settings.js';
import { SubjectKey } from '../../src/service/privacy/subject-key.js';

/** The secret every test's subject key uses, so expected hashes can be computed. */
export const TEST_SUBJECT_SECRET = 'test-subject-secret-0123456789abcdef0123456789';
export const testSubjectKey = (): SubjectKey => new SubjectKey(TEST_SUBJECT_SECRET);

/** The personal-data service over `store`, with the test key and the given minimum k (default 10). */
export function personalDataService(store: GraphStore, options: { minK?: number; clock?: ServiceClock } = {}): PersonalDataApi {
  return createPersonalDataService(store, { subjectKey: testSubjectKey(), settings: personalDataSettings({ aggregateMinK: options.minK }), clock: options.clock });
}

/**
 * Artifact types Table (DATASET, no default), Model (MODEL) and Patients (DATASET, default
 * contact + HEALTH); execution type Step; context type Pipeline.
 */
export async function putPrivacyTypes(api: MetadataApi): Promise<void> {
  await api.putType('ARTIFACT_TYPE', { name: 'Table', baseType: 'DATASET' });
  await api.putType('ARTIFACT_TYPE', { name: 'Model', baseType: 'MODEL' });
  await api.putType('ARTIFACT_TYPE', {
    name: 'Patients', baseType: 'DATASET', personalData: { categories: ['contact'], specialCategories: ['HEALTH'] },
  });
  await api.putType('EXECUTION_TYPE', { name: 'Step', baseType: 'TRANSFORM' });
  await api.putType('CONTEXT_TYPE', { name: 'Pipeline' });
}

/** A Table artifact (or of `type`) named `name`, with an optional declaration. */
export async function artifact(
  api: MetadataApi, name: string, personalData?: PersonalDataInput, type = 'Table',
): Promise<ArtifactRecord> {
  const [a] = await api.putArtifacts([{ type, name, ...(personalData ? { personalData } : {}) }]);
  return a!;
}

/** A Step execution named `name` reading `inputs` and writing `outputs` (artifact ids), with an optional transform. */
export async function step(
  api: MetadataApi, name: string, inputs: readonly string[], outputs: readonly string[], privacy?: PrivacyInput,
): Promise<ExecutionRecord> {
  const [x] = await api.putExecutions([{ type: 'Step', name, ...(privacy ? { privacy } : {}) }]);
  await api.putEvents([
    ...inputs.map((artifactId) => ({ artifactId, executionId: x!.id, type: 'INPUT' as const })),
    ...outputs.map((artifactId) => ({ artifactId, executionId: x!.id, type: 'OUTPUT' as const })),
  ]);
  return x!;
}

/** A declaration of categories and special categories, for brevity. */
export const pd = (categories: string[], specialCategories: SpecialCategory[] = []): PersonalDataInput => ({ categories, specialCategories });
