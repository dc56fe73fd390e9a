/**
 * The Neo4j schema's history, oldest first. A database from before versions were kept
 * has no version node and counts as version 0: every step then runs, and IF NOT EXISTS
 * makes what already exists a no-op. A schema change is a new numbered file appended here.
 */
import { graph } from './001-graph.js';
import { personalDataAndKeys } from './002-personal-data-and-keys.js';
import { integerKeys } from './003-integer-keys.js';
import { importOrigins } from './004-import-origins.js';
import { perKindMlmdIds } from './005-per-kind-mlmd-ids.js';
import { clientCertificates } from './006-client-certificates.js';
import { nodeHistory } from './007-node-history.js';
import { severalProcesses } from './008-several-processes.js';
import type { Neo4jMigration } from './migration.js';

export type { Neo4jMigration } from './migration.js';

export const NEO4J_MIGRATIONS: readonly Neo4jMigration[] = [graph, personalDataAndKeys, integerKeys, importOrigins, perKindMlmdIds, clientCertificates, nodeHistory, severalProcesses];

/** The schema version this build writes: the last step's. */
export const LATEST_NEO4J_VERSION = NEO4J_MIGRATIONS[NEO4J_MIGRATIONS.length - 1]!.version;
