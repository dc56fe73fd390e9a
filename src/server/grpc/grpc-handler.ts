/**
 * What a gRPC handler module exports: one async function per method of its group, from
 * the decoded request message to the response message, over the same services GraphQL
 * uses. Handlers translate and call; every rule lives in src/service.
 */
import type { LineageApi } from '../../service/lineage/lineage-service.js';
import type { MetadataApi, WriteActor } from '../../service/metadata/metadata-service.js';

/** What one call's handler may use: the services, and the caller's write actor for the layers. */
export interface GrpcCallContext {
  api: MetadataApi;
  lineage: LineageApi;
  writer: WriteActor;
}

/** A decoded message (proto-loader's plain object: snake_case names, int64 as decimal strings, enums by name). */
export type Message = object;

/** One method: decoded request in, response message out. */
export type UnaryHandler<Req extends Message = never, Res extends Message = Message> = (request: Req, ctx: GrpcCallContext) => Promise<Res>;

/** A group's handlers by method name (as MetadataStoreService spells it, e.g. PutArtifactType). */
export type HandlerGroup = Readonly<Record<string, UnaryHandler<never>>>;
