/**
 * Every Cypher text the Neo4j backend sends, read once from `cypher/` (one `.cypher`
 * file per statement or fragment, `$parameters` for every value) into a map typed by
 * name, so a typo is a compile error and a missing file stops the start, not a request.
 *
 * Every lookup by key carries a `USING INDEX SEEK` hint. Neo4j caches a plan per
 * statement text and replans only when statistics drift far enough and long enough: a
 * plan made while a label was empty (a scan then looks cheapest) could outlive a bulk
 * import and make each row of an UNWIND scan the whole label or index. The hint makes
 * the seek unconditional (a plain `USING INDEX` may still be met by an index scan).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The constraints and indexes, each its own statement (a schema change runs alone). */
const SCHEMA = [
  'schema/constraint-schema-version-key',
  'schema/constraint-node-id',
  'schema/constraint-artifact-external-id',
  'schema/constraint-execution-external-id',
  'schema/constraint-context-external-id',
  'schema/constraint-artifact-type-and-name',
  'schema/constraint-execution-type-and-name',
  'schema/constraint-context-type-and-name',
  'schema/constraint-type-id',
  'schema/constraint-type-key',
  'schema/constraint-type-external-id',
  'schema/constraint-event-key',
  'schema/constraint-attribution-key',
  'schema/constraint-association-key',
  'schema/constraint-parent-context-key',
  'schema/constraint-api-key-id',
  'schema/constraint-data-subject-hash',
  'schema/constraint-erasure-request-id',
  'schema/constraint-erasure-item-key',
  'schema/constraint-audit-entry-id',
  'schema/constraint-personal-data-status-artifact',
  'schema/constraint-node-mlmd-id',
  'schema/constraint-type-mlmd-id',
  'schema/constraint-mlmd-id-counter-space',
  'schema/constraint-import-origin-key',
  'schema/constraint-artifact-mlmd-id',
  'schema/constraint-execution-mlmd-id',
  'schema/constraint-context-mlmd-id',
  'schema/drop-node-mlmd-id',
  'schema/index-artifact-type-id',
  'schema/index-execution-type-id',
  'schema/index-context-type-id',
  'schema/index-artifact-name',
  'schema/index-execution-name',
  'schema/index-context-name',
  'schema/index-artifact-create-time',
  'schema/index-execution-create-time',
  'schema/index-context-create-time',
  'schema/index-artifact-update-time',
  'schema/index-execution-update-time',
  'schema/index-context-update-time',
  'schema/index-artifact-uri',
  'schema/index-type-kind',
  'schema/index-artifact-personal-data',
  'schema/index-api-key-client-cert',
  'schema/index-node-history',
  'schema/constraint-personal-data-derivation-key',
  'schema/constraint-store-lock-name',
  'schema/constraint-rate-limit-bucket-caller',
] as const;

/** Pieces of the listNodes and countNodes statements, put together by neo4j-node-queries.ts. */
const NODE_LIST_FRAGMENTS = [
  'nodes/list/match/artifacts',
  'nodes/list/match/executions',
  'nodes/list/match/contexts',
  'nodes/list/match/artifacts-in-context',
  'nodes/list/match/executions-in-context',
  'nodes/list/match/children-of-context',
  'nodes/list/where/type-ids',
  'nodes/list/where/name',
  'nodes/list/where/external-id',
  'nodes/list/where/uri',
  'nodes/list/where/state',
  'nodes/list/where/last-known-state',
  'nodes/list/where/created-after',
  'nodes/list/where/created-before',
  'nodes/list/where/properties',
  'nodes/list/after/id-ascending',
  'nodes/list/after/id-descending',
  'nodes/list/after/create-time-ascending',
  'nodes/list/after/create-time-descending',
  'nodes/list/after/update-time-ascending',
  'nodes/list/after/update-time-descending',
  'nodes/list/page/id-ascending',
  'nodes/list/page/id-descending',
  'nodes/list/page/create-time-ascending',
  'nodes/list/page/create-time-descending',
  'nodes/list/page/update-time-ascending',
  'nodes/list/page/update-time-descending',
  'nodes/list/count',
] as const;

/** Every statement and fragment, named by its path under `cypher/` without the extension. */
export const STATEMENT_NAMES = [
  ...SCHEMA,
  'admin/ping',
  'admin/await-indexes',
  'admin/schema-version',
  'admin/set-schema-version',
  'admin/allocate-mlmd-ids',
  'admin/claim-mlmd-ids',
  'admin/lease-rate-limit-tokens',
  'migrations/number-nodes',
  'migrations/number-types',
  'migrations/set-mlmd-id-counters',
  'migrations/split-mlmd-id-counters',
  'migrations/drop-node-mlmd-id-counter',
  'migrations/merge-derivation-states',
  'types/get',
  'types/get-by-mlmd-id',
  'types/find-by-key',
  'types/find-by-external-id',
  'types/list',
  'types/insert',
  'types/update',
  'nodes/record',
  'nodes/get',
  'nodes/get-artifacts-by-mlmd-id',
  'nodes/get-executions-by-mlmd-id',
  'nodes/get-contexts-by-mlmd-id',
  'nodes/find-by-name',
  'nodes/find-artifacts-by-external-id',
  'nodes/find-executions-by-external-id',
  'nodes/find-contexts-by-external-id',
  'nodes/insert',
  'nodes/update',
  'nodes/delete',
  ...NODE_LIST_FRAGMENTS,
  'events/insert',
  'events/get',
  'events/by-artifacts',
  'events/by-executions',
  'links/insert',
  'links/contexts-of-nodes',
  'links/contexts-of-any',
  'links/parent-contexts',
  'links/child-contexts',
  'links/artifacts-of-contexts',
  'links/lock-parent-contexts',
  'lineage/upstream-steps',
  'lineage/downstream-steps',
  'lineage/upstream-reach',
  'lineage/downstream-reach',
  'lineage/both-ways-reach',
  'keys/insert',
  'keys/get',
  'keys/by-client-cert',
  'keys/list',
  'keys/update',
  'keys/count',
  'keys/lock-creation',
  'privacy/declarations',
  'privacy/artifacts-declaring',
  'privacy/derived-statuses',
  'privacy/data-flow-reach',
  'privacy/put-derived-statuses',
  'privacy/delete-derived-statuses',
  'privacy/clear-derived-statuses',
  'privacy/carrying',
  'privacy/lock-for-derivation',
  'privacy/derivation-min-k',
  'privacy/lock-derivation',
  'privacy/set-derivation-min-k',
  'privacy/insert-registrations',
  'privacy/delete-registrations',
  'privacy/delete-orphan-subjects',
  'privacy/delete-subjects',
  'privacy/artifacts-of-subjects',
  'privacy/registration-counts',
  'privacy/insert-erasure-requests',
  'privacy/get-erasure-requests',
  'privacy/update-erasure-items',
  'privacy/append-audit-entries',
  'privacy/list-audit-entries',
  'privacy/list-erasure-request-ids',
  'import/imported-node-ids',
  'import/record-origins',
  'import/count-imported',
  'history/record',
  'history/nodes-as-of',
  'history/node-histories',
  'history/delete',
  'export/mlmd-ids-handed-out',
  'export/subjects-of-artifacts',
  'export/import-origins-of-nodes',
] as const;

export type StatementName = (typeof STATEMENT_NAMES)[number];
export type SchemaStatementName = (typeof SCHEMA)[number];
export type Statements = Readonly<Record<StatementName, string>>;

/** Every constraint and index; the migrations in migrations/ say which step made each. */
export const SCHEMA_STATEMENTS: readonly SchemaStatementName[] = SCHEMA;

/** `cypher/` at the project root (this file is src/graph/neo4j/). */
export const CYPHER_DIR = fileURLToPath(new URL('../../../cypher/', import.meta.url));

/** The file that holds statement `name` under `dir`. */
export const statementFile = (name: string, dir = CYPHER_DIR): string => path.join(dir, `${name}.cypher`);

/**
 * Drops whole-line `//` comments (they explain the statement to its readers, not to the
 * database) and surrounding blank space. Comments never share a line with Cypher, so a
 * string literal holding `//` is left alone.
 */
export function statementText(fileText: string): string {
  return fileText
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('//'))
    .join('\n')
    .trim();
}

/** Reads every statement from `dir`; throws an Error naming every missing or empty file. */
export async function loadStatements(dir = CYPHER_DIR): Promise<Statements> {
  const results = await Promise.all(STATEMENT_NAMES.map(async (name) => {
    try {
      return { name, text: statementText(await readFile(statementFile(name, dir), 'utf8')) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { name, text: '' };
      throw error;
    }
  }));
  const missing = results.filter((r) => r.text === '').map((r) => statementFile(r.name, dir));
  if (missing.length > 0) {
    throw new Error(`the Neo4j backend cannot start: missing or empty Cypher files:\n  ${missing.join('\n  ')}`);
  }
  // Every statement that answers with node records writes NODE_RECORD; one file says what a record is.
  const record = results.find((r) => r.name === 'nodes/record')!.text;
  // And those answering with records as history kept them write HISTORY_RECORD (cypher/history/record.cypher).
  const historyRecord = results.find((r) => r.name === 'history/record')!.text;
  return Object.fromEntries(results.map((r) => [
    r.name, r.text.replaceAll('HISTORY_RECORD', historyRecord).replaceAll('NODE_RECORD', record),
  ])) as Record<StatementName, string>;
}

let loaded: Promise<Statements> | undefined;

/** The statements of `cypher/`, read on the first call and shared by every store afterwards. */
export function sharedStatements(): Promise<Statements> {
  loaded ??= loadStatements().catch((error: unknown) => {
    loaded = undefined; // a later start may find the files restored
    throw error;
  });
  return loaded;
}
