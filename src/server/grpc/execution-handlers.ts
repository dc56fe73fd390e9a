/**
 * MetadataStoreService's PutExecution: an execution with its artifacts, events and
 * contexts in one call, with MLMD's options; the rules are the service's putExecutionMlmd.
 */
import type { HandlerGroup, UnaryHandler } from './grpc-handler.js';
import { nodeInputsOf, type NodeMsg } from './node-handlers.js';
import { eventPartsOf, type EventMsg } from './wire-values.js';

interface PutExecutionRequest {
  execution?: NodeMsg;
  artifact_event_pairs?: { artifact?: NodeMsg; event?: EventMsg }[];
  contexts?: NodeMsg[];
  options?: {
    reuse_context_if_already_exist?: boolean; reuse_artifact_if_already_exist_by_external_id?: boolean;
    force_update_time?: boolean; force_reuse_context?: boolean;
  };
}

const putExecution: UnaryHandler<PutExecutionRequest> = async (req, ctx) => {
  const pairs = req.artifact_event_pairs ?? [];
  const [execution] = await nodeInputsOf(ctx, 'EXECUTION', [req.execution ?? {}], 'execution');
  const artifacts = await nodeInputsOf(ctx, 'ARTIFACT', pairs.map((p) => p.artifact ?? {}), 'artifact_event_pairs');
  const o = req.options ?? {};
  // MLMD finds force_reuse_context's contexts by id (NOT_FOUND when one is missing); its upsert calls an unknown id INVALID_ARGUMENT.
  const contexts = await nodeInputsOf(ctx, 'CONTEXT', req.contexts ?? [], 'contexts', o.force_reuse_context === true);
  const result = await ctx.api.putExecutionMlmd({
    execution: execution as never,
    artifacts: pairs.map((p, i) => ({
      artifact: artifacts[i] as never,
      event: p.event ? eventPartsOf(p.event, `artifact_event_pairs[${i}].event`) : null,
    })),
    contexts: contexts as never,
    reuseContextIfAlreadyExist: o.reuse_context_if_already_exist === true,
    reuseArtifactIfAlreadyExistByExternalId: o.reuse_artifact_if_already_exist_by_external_id === true,
    forceUpdateTime: o.force_update_time === true,
    forceReuseContext: o.force_reuse_context === true,
  }, ctx.writer);
  return {
    execution_id: result.execution.mlmdId,
    artifact_ids: result.inputs.map((a) => a.mlmdId),
    context_ids: result.contexts.map((c) => c.mlmdId),
  };
};

/** PutExecution by name. */
export const EXECUTION_HANDLERS: HandlerGroup = { PutExecution: putExecution };
