/**
 * The messages between the main thread and a SQLite reader thread. One reader serves one
 * read transaction at a time: `begin` opens it, each StoreTx call is one `call`, and
 * `end` commits it (a read has nothing to roll back); or one `unit` runs a whole read
 * transaction (src/graph/read-unit.ts) and answers with its result. Every request is
 * answered once, by its `seq`, in the order sent.
 */
import type { StoreTx } from '../store.js';
import type { WireError } from './sqlite-wire-errors.js';

/** What a reader thread is started with (its workerData). */
export interface ReaderSettings {
  path: string;
  busyTimeoutMs: number;
}

/** The StoreTx methods, each of which a reader runs when asked. */
export type StoreTxMethod = {
  [K in keyof StoreTx]: StoreTx[K] extends (...args: never[]) => Promise<unknown> ? K : never;
}[keyof StoreTx];

export type ReaderRequest =
  | { kind: 'begin'; seq: number }
  | { kind: 'call'; seq: number; method: StoreTxMethod; args: unknown[] }
  | { kind: 'end'; seq: number }
  /** The export `name` of `module`, called as (tx, args) in a read transaction of its own. */
  | { kind: 'unit'; seq: number; module: string; name: string; args: unknown };

export type ReaderReply =
  | { seq: number; ok: true; value: unknown }
  | { seq: number; ok: false; error: WireError };

/**
 * Every StoreTx method, listed so the main thread's stand-in transaction can forward each
 * one by name; `satisfies` and ALL_LISTED below make the compiler refuse a missing one.
 */
export const STORE_TX_METHODS = [
  'allocateMlmdIds', 'claimMlmdIdsUpTo', 'getTypesByMlmdId', 'getNodesByMlmdId',
  'getTypes', 'findTypes', 'findTypesByExternalId', 'listTypes', 'insertTypes', 'updateTypes',
  'getNodes', 'findNodesByName', 'findNodesByExternalId', 'insertNodes', 'updateNodes', 'deleteNodes',
  'listNodes', 'countNodes',
  'insertEvents', 'getEvents', 'eventsByArtifacts', 'eventsByExecutions',
  'insertAttributions', 'insertAssociations', 'insertParentContexts', 'lockParentContextWrites',
  'contextsOfNodes', 'contextsOfAny', 'parentContexts', 'childContexts', 'artifactsOfContexts',
  'lineageSteps', 'lineageReach', 'personalDataReach',
  'insertApiKeys', 'getApiKeys', 'getApiKeysByClientCert', 'listApiKeys', 'updateApiKeys', 'countApiKeys', 'lockApiKeyCreation',
  'personalDataDeclarations', 'artifactsDeclaringPersonalData', 'derivedStatuses', 'putDerivedStatuses',
  'clearDerivedStatuses', 'carryingPersonalData', 'lockForDerivation', 'derivationMinK', 'lockDerivation', 'setDerivationMinK',
  'insertSubjectRegistrations', 'deleteSubjectRegistrations', 'deleteDataSubjects', 'artifactsOfSubjects',
  'registrationCounts', 'insertErasureRequests', 'getErasureRequests', 'listErasureRequestIds', 'updateErasureItems',
  'appendAuditEntries', 'listAuditEntries',
  'importedNodeIds', 'recordImportOrigins', 'countImportedNodes',
  'nodesAsOf', 'nodeHistories', 'deleteNodeHistories',
  'mlmdIdsHandedOut', 'subjectsOfArtifacts', 'importOriginsOfNodes',
] as const satisfies readonly StoreTxMethod[];

type Unlisted = Exclude<StoreTxMethod, (typeof STORE_TX_METHODS)[number]>;
/** Fails to compile, naming the method, when StoreTx gains a method this list lacks. */
export const ALL_LISTED: [Unlisted] extends [never] ? true : Unlisted = true;
