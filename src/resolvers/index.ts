/**
 * The executable schema: schema.graphql (the contract, with every description) joined
 * to the resolvers.
 */
import { readFileSync } from 'node:fs';
import { makeExecutableSchema } from '@graphql-tools/schema';
import type { GraphQLSchema } from 'graphql';
import { columnLineageResolvers } from './column-lineage-resolvers.js';
import { connectionResolvers } from './connections.js';
import { historyResolvers } from './history-resolvers.js';
import { keyResolvers } from './key-resolvers.js';
import { lineageResolvers } from './lineage-resolvers.js';
import { mutationResolvers } from './mutation.js';
import { nodeResolvers } from './node-fields.js';
import { privacyResolvers } from './privacy-resolvers.js';
import { queryResolvers } from './query.js';
import { versionResolvers } from './version-resolvers.js';
import { DateTimeScalar, JsonScalar, MlmdIdScalar } from './scalars.js';

/** Where the SDL lives: the repository root, so users read the contract without digging into src/. */
export const SCHEMA_PATH = new URL('../../schema.graphql', import.meta.url);

/** Builds the schema from schema.graphql and the resolvers; throws if a resolver names a field the SDL lacks. */
export function buildApiSchema(): GraphQLSchema {
  return makeExecutableSchema({
    typeDefs: readFileSync(SCHEMA_PATH, 'utf8'),
    resolvers: [
      { JSON: JsonScalar, DateTime: DateTimeScalar, MlmdId: MlmdIdScalar },
      queryResolvers,
      mutationResolvers,
      nodeResolvers,
      connectionResolvers,
      lineageResolvers,
      keyResolvers,
      privacyResolvers,
      versionResolvers,
      historyResolvers,
      columnLineageResolvers,
    ],
    resolverValidationOptions: { requireResolversToMatchSchema: 'error' },
  });
}
