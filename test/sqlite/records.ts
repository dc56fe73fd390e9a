/**
 * Small record builders for the SQLite store's own tests, which talk to the store
 * directly (below the service), so every field is spelled out here once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StoreError } from '../../src/graph/errors.js';
import type {
  ArtifactRecord, ContextRecord, EventRecord, EventType, ExecutionRecord, PropertyMap, TypeKind, TypeRecord,
} from '../../src/graph/model.js';

export const T0 = 1_700_000_000_000;

let lastMlmdId = 0;
/** A fresh ML Metadata id for each record built (the service would allocate one): tests below the service spell their own. */
export const nextMlmdId = (): number => (lastMlmdId += 1);

/** A type record with the given fields over plain defaults. */
export function typeRecord(id: string, kind: TypeKind, name: string, extra: Partial<TypeRecord> = {}): TypeRecord {
  return {
    id, mlmdId: nextMlmdId(), kind, name, version: null, description: null, externalId: null,
    baseType: null, properties: [], ...extra,
  };
}

/** An artifact of type `typeId`, created at T0 unless told otherwise. */
export function artifact(id: string, typeId: string, extra: Partial<ArtifactRecord> = {}): ArtifactRecord {
  return {
    kind: 'ARTIFACT', id, mlmdId: nextMlmdId(), typeId, name: null, externalId: null, uri: null, state: 'LIVE',
    properties: {}, customProperties: {}, createTime: T0, updateTime: T0, ...extra,
  };
}

/** An execution of type `typeId`, created at T0 unless told otherwise. */
export function execution(id: string, typeId: string, extra: Partial<ExecutionRecord> = {}): ExecutionRecord {
  return {
    kind: 'EXECUTION', id, mlmdId: nextMlmdId(), typeId, name: null, externalId: null, lastKnownState: 'COMPLETE',
    properties: {}, customProperties: {}, createTime: T0, updateTime: T0, ...extra,
  };
}

/** A context of type `typeId` named `name`. */
export function context(id: string, typeId: string, name: string, extra: Partial<ContextRecord> = {}): ContextRecord {
  return {
    kind: 'CONTEXT', id, mlmdId: nextMlmdId(), typeId, name, externalId: null,
    properties: {}, customProperties: {}, createTime: T0, updateTime: T0, ...extra,
  };
}

/** An event at T0 with an empty path unless told otherwise. */
export function event(artifactId: string, executionId: string, type: EventType, extra: Partial<EventRecord> = {}): EventRecord {
  return { artifactId, executionId, type, path: [], time: T0, ...extra };
}

/** The three types most tests need: artifact type 'at', execution type 'et', context type 'ct'. */
export const BASIC_TYPES: TypeRecord[] = [
  typeRecord('at', 'ARTIFACT_TYPE', 'Dataset'),
  typeRecord('et', 'EXECUTION_TYPE', 'Trainer'),
  typeRecord('ct', 'CONTEXT_TYPE', 'Pipeline'),
];

/** An artifact whose custom properties are `customProperties`. */
export const withCustom = (id: string, customProperties: PropertyMap): ArtifactRecord =>
  artifact(id, 'at', { customProperties });

/** A fresh temporary directory and a function that removes it. */
export function tempDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'journey-sqlite-test-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The StoreError `promise` rejects with; fails the test when it resolves or rejects with something else. */
export async function storeErrorOf(promise: Promise<unknown>): Promise<StoreError> {
  const outcome = await promise.then(() => undefined, (error: unknown) => error);
  if (!(outcome instanceof StoreError)) throw new Error(`expected a StoreError, got ${String(outcome)}`);
  return outcome;
}
