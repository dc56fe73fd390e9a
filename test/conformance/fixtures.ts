/**
 * Shared pieces of the conformance suite: the error assertion every failing call goes
 * through, a full snapshot of a (small) graph for "nothing was written" checks, and
 * the few types most tests build on.
 */
import { expect } from 'vitest';
import {
  AlreadyExistsError, DeadlineExceededError, FailedPreconditionError, InvalidArgumentError, NotFoundError, PermissionDeniedError,
  OutOfRangeError, StoreError, UnavailableError, UnimplementedError, type StoreErrorCode,
} from '../../src/graph/errors.js';
import type { NodeKind, TypeRecord } from '../../src/graph/model.js';
import type { MetadataApi } from '../../src/service/metadata/metadata-service.js';

const CLASS_OF_CODE: Record<StoreErrorCode, new (message: string, field?: string) => StoreError> = {
  NOT_FOUND: NotFoundError,
  ALREADY_EXISTS: AlreadyExistsError,
  INVALID_ARGUMENT: InvalidArgumentError,
  FAILED_PRECONDITION: FailedPreconditionError,
  UNAVAILABLE: UnavailableError,
  DEADLINE_EXCEEDED: DeadlineExceededError,
  PERMISSION_DENIED: PermissionDeniedError,
  UNIMPLEMENTED: UnimplementedError,
  OUT_OF_RANGE: OutOfRangeError,
};

/**
 * Words of SQL, Cypher or a driver that must never reach a user. Upper-case keywords are
 * matched case-sensitively (a message may say "update" in English); the drivers' own
 * error names and codes in any case. Naming the backend ("the SQLite store is closed")
 * is the store's own wording, not a leak.
 */
const QUERY_TEXT_CASED = /\b(SELECT|INSERT|UPDATE|DELETE|MATCH|MERGE|CREATE|RETURN|WHERE|UNWIND|DETACH|CONSTRAINT|PRIMARY KEY|FOREIGN KEY)\b/;
const DRIVER_WORDS = /SqliteError|SQLITE_[A-Z]|Neo4jError|Neo\.(Client|Transient|Database)Error|cypher|\bsql\b|bolt:|\bconstraint\b|with label|\bNode\(\d+\)|\bpool is closed\b/i;

/** True when `message` carries query text or a driver's error text. */
export function leaksQueryText(message: string): boolean {
  return QUERY_TEXT_CASED.test(message) || DRIVER_WORDS.test(message);
}

/**
 * Calls `call`, expecting it to fail with the error class of `code` whose `field` is
 * `field` (undefined: the error names no field) and whose message carries no query
 * text. Returns the error for further checks. A synchronous throw counts as failing
 * here; errors.test.ts checks separately that every method rejects instead.
 */
export async function expectStoreError(
  call: () => Promise<unknown>,
  code: StoreErrorCode,
  field: string | undefined,
): Promise<StoreError> {
  let caught: unknown;
  try {
    await call();
  } catch (e) {
    caught = e;
  }
  expect(caught, 'the call should have failed with a StoreError').toBeInstanceOf(StoreError);
  const error = caught as StoreError;
  expect({ code: error.code, field: error.field, message: error.message }).toEqual({ code, field, message: error.message });
  expect(error).toBeInstanceOf(CLASS_OF_CODE[code]);
  expect(leaksQueryText(error.message), `message leaks query text: ${error.message}`).toBe(false);
  return error;
}

/** Every node and edge of a graph, as sorted strings, so two snapshots compare exactly. */
export interface GraphSnapshot {
  artifacts: string[];
  executions: string[];
  contexts: string[];
  /** `artifactId executionId TYPE path-json`. */
  events: string[];
  /** `contextId artifactId`. */
  attributions: string[];
  /** `contextId executionId`. */
  associations: string[];
  /** `childId parentId`. */
  parents: string[];
}

async function allIds(api: MetadataApi, kind: NodeKind): Promise<string[]> {
  const ids: string[] = [];
  let after: string | null = null;
  for (;;) {
    const page = await api.listNodes(kind, { first: 1000, after, orderBy: { field: 'ID', ascending: true } });
    ids.push(...page.nodes.map((n) => n.id));
    if (!page.hasNextPage) break;
    after = page.endCursor;
  }
  expect(ids.length).toBe(await (await api.listNodes(kind, { first: 1 })).totalCount());
  return ids;
}

/** Reads the whole graph through the public reads (listNodes, then the neighbour reads). */
export async function snapshotGraph(api: MetadataApi): Promise<GraphSnapshot> {
  const artifacts = await allIds(api, 'ARTIFACT');
  const executions = await allIds(api, 'EXECUTION');
  const contexts = await allIds(api, 'CONTEXT');
  const eventsByArtifact = await api.eventsByArtifacts(artifacts);
  const eventsByExecution = await api.eventsByExecutions(executions);
  const events = eventsByArtifact.flat().map((e) => `${e.artifactId} ${e.executionId} ${e.type} ${JSON.stringify(e.path)}`);
  // The same events seen from the execution side: a store that kept one side only would differ.
  expect(eventsByExecution.flat().map((e) => `${e.artifactId} ${e.executionId} ${e.type} ${JSON.stringify(e.path)}`).sort())
    .toEqual([...events].sort());
  const ofArtifacts = await api.contextsOfNodes(artifacts);
  const ofExecutions = await api.contextsOfNodes(executions);
  const parentsOf = await api.parentContexts(contexts);
  return {
    artifacts,
    executions,
    contexts,
    events: events.sort(),
    attributions: artifacts.flatMap((a, i) => (ofArtifacts[i] ?? []).map((c) => `${c.id} ${a}`)).sort(),
    associations: executions.flatMap((x, i) => (ofExecutions[i] ?? []).map((c) => `${c.id} ${x}`)).sort(),
    parents: contexts.flatMap((c, i) => (parentsOf[i] ?? []).map((p) => `${c} ${p.id}`)).sort(),
  };
}

/** How many nodes and edges of each sort a snapshot holds. */
export function countsOf(s: GraphSnapshot): Record<keyof GraphSnapshot, number> {
  return {
    artifacts: s.artifacts.length,
    executions: s.executions.length,
    contexts: s.contexts.length,
    events: s.events.length,
    attributions: s.attributions.length,
    associations: s.associations.length,
    parents: s.parents.length,
  };
}

export interface BasicTypes {
  dataset: TypeRecord;
  model: TypeRecord;
  trainer: TypeRecord;
  pipeline: TypeRecord;
}

/**
 * The types most tests use:
 *   artifact  Dataset  (DATASET)  rows: INT, split: STRING
 *   artifact  Model    (MODEL)    lr: DOUBLE, layers: INT, tuned: BOOLEAN, config: STRUCT, note: STRING
 *   execution Trainer  (TRAIN)    epochs: INT
 *   context   Pipeline            owner: STRING
 */
export async function putBasicTypes(api: MetadataApi): Promise<BasicTypes> {
  const dataset = await api.putType('ARTIFACT_TYPE', {
    name: 'Dataset', baseType: 'DATASET', properties: [{ name: 'rows', type: 'INT' }, { name: 'split', type: 'STRING' }],
  });
  const model = await api.putType('ARTIFACT_TYPE', {
    name: 'Model',
    baseType: 'MODEL',
    properties: [
      { name: 'lr', type: 'DOUBLE' }, { name: 'layers', type: 'INT' }, { name: 'tuned', type: 'BOOLEAN' },
      { name: 'config', type: 'STRUCT' }, { name: 'note', type: 'STRING' },
    ],
  });
  const trainer = await api.putType('EXECUTION_TYPE', { name: 'Trainer', baseType: 'TRAIN', properties: [{ name: 'epochs', type: 'INT' }] });
  const pipeline = await api.putType('CONTEXT_TYPE', { name: 'Pipeline', properties: [{ name: 'owner', type: 'STRING' }] });
  return { dataset, model, trainer, pipeline };
}

/** A UUID of version 7 (RFC 9562), lower-case as the server writes it. */
export const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** A well-formed UUIDv7 that no store holds (its time part is the epoch). */
export const ABSENT_ID = '00000000-0000-7000-8000-000000000000';
