/**
 * Resolvers of the personal-data part of schema.graphql: arguments in, one personal-data
 * service call, result out. The service answers with ids; the Artifact, Execution and
 * Context fields load their records through the request's loaders, one batch per answer.
 * Who may call them is decided in src/server/authorization.ts; who did is passed on to
 * the service for its audit log.
 */
import DataLoader from 'dataloader';
import type { ArtifactRecord, ContextRecord, ExecutionRecord, NodeRecord, PersonalDataDeclaration, TypeRecord } from '../graph/model.js';
import type { AuditEntryRecord, ErasureItemRecord, ErasureStatus } from '../graph/privacy-store.js';
import type {
  AffectedArtifact, CategoryEvidence, ErasureRequest, FieldPersonalData, PersonalDataStatus, ReportFormat, SubjectLineage,
} from '../service/privacy/personal-data-service.js';
import { erasureProgress } from '../service/privacy/personal-data-service.js';
import { MAX_BATCH } from '../service/shared/validate.js';
import type { RequestContext } from './context.js';
import { primed } from './connections.js';
import { loadPresent } from './loaders.js';

/** Who asks, for the audit log: the API key's id, or 'local' when there is none (tests, open local mode). */
export const auditCallerOf = (ctx: RequestContext): string => ctx.caller?.keyId ?? 'local';

/**
 * Artifact.personalData for every artifact of one response in one service call (one
 * walk, one audit entry). Made on the request's first use, kept on its context; it does
 * not cache, so a field asked after a mutation of the same operation sees the write.
 */
function statusLoader(ctx: RequestContext): DataLoader<string, PersonalDataStatus | null> {
  ctx.personalDataStatus ??= new DataLoader(
    (ids: readonly string[]) => ctx.privacy.personalDataStatus(ids, auditCallerOf(ctx)),
    { cache: false, maxBatchSize: MAX_BATCH },
  );
  return ctx.personalDataStatus;
}

/** Artifact.fieldPersonalData for every artifact of one response in one service call (one column walk, one audit entry), as statusLoader. */
function fieldLoader(ctx: RequestContext): DataLoader<string, FieldPersonalData[]> {
  ctx.fieldPersonalData ??= new DataLoader(
    (ids: readonly string[]) => ctx.privacy.fieldPersonalData(ids, auditCallerOf(ctx)),
    { cache: false, maxBatchSize: MAX_BATCH },
  );
  return ctx.fieldPersonalData;
}

const artifactOf = (id: string, ctx: RequestContext): Promise<NodeRecord | null> => ctx.loaders.nodes.load(id);
const artifactsOf = (ids: readonly string[], ctx: RequestContext): Promise<NodeRecord[]> => loadPresent(ctx.loaders.nodes, ids);

/** A mutation's result, after which what the loaders read before may be stale. */
async function written<T>(ctx: RequestContext, write: Promise<T>): Promise<T> {
  const result = await write;
  ctx.loaders.clearAll();
  return result;
}

interface ItemArgs { requestId: string; artifactId: string; status: ErasureStatus; note?: string | null }
interface InventoryArgs { category?: string | null; specialCategory?: PersonalDataStatus['specialCategories'][number] | null; first?: number | null; after?: string | null }

/** The resolver map for the personal-data types and fields. */
export const privacyResolvers = {
  Query: {
    dataSubjectLineage: async (_: unknown, args: { subjectId: string; maxHops?: number | null }, ctx: RequestContext) => {
      const report = await ctx.privacy.dataSubjectLineage(args.subjectId, { maxHops: args.maxHops, deadline: ctx.deadline }, auditCallerOf(ctx));
      for (const c of report.contexts) ctx.loaders.nodes.prime(c.id, c);
      return report;
    },
    personalDataInventory: async (_: unknown, args: InventoryArgs, ctx: RequestContext) =>
      primed(await ctx.privacy.personalDataInventory(args, auditCallerOf(ctx)), ctx),
    erasureRequest: (_: unknown, args: { id: string }, ctx: RequestContext) => ctx.privacy.erasureRequest(args.id, auditCallerOf(ctx)),
    erasureRequests: (_: unknown, args: { first?: number | null; after?: string | null }, ctx: RequestContext) =>
      ctx.privacy.erasureRequests(args, auditCallerOf(ctx)),
    accessReport: (_: unknown, args: { subjectId: string; format?: ReportFormat | null }, ctx: RequestContext) =>
      ctx.privacy.accessReport(args.subjectId, args.format, auditCallerOf(ctx)),
    auditLog: async (_: unknown, args: { first?: number | null; after?: string | null }, ctx: RequestContext) =>
      ctx.privacy.auditLog(args, auditCallerOf(ctx)),
  },
  Mutation: {
    registerDataSubjects: (_: unknown, args: { artifactId: string; subjectIds: string[] }, ctx: RequestContext) =>
      written(ctx, ctx.privacy.registerDataSubjects(args.artifactId, args.subjectIds, auditCallerOf(ctx))),
    unregisterDataSubjects: (_: unknown, args: { artifactId: string; subjectIds: string[] }, ctx: RequestContext) =>
      written(ctx, ctx.privacy.unregisterDataSubjects(args.artifactId, args.subjectIds, auditCallerOf(ctx))),
    requestErasure: (_: unknown, args: { subjectId: string; reason?: string | null }, ctx: RequestContext) =>
      written(ctx, ctx.privacy.requestErasure(args.subjectId, args.reason, auditCallerOf(ctx))),
    updateErasureItem: (_: unknown, args: ItemArgs, ctx: RequestContext) =>
      written(ctx, ctx.privacy.updateErasureItem(args, auditCallerOf(ctx))),
  },
  Artifact: {
    personalData: (a: ArtifactRecord, _args: unknown, ctx: RequestContext) => statusLoader(ctx).load(a.id),
    fieldPersonalData: (a: ArtifactRecord, _args: unknown, ctx: RequestContext) => fieldLoader(ctx).load(a.id),
    personalDataDeclared: (a: ArtifactRecord) => a.personalData ?? null,
  },
  ArtifactType: {
    personalData: (t: TypeRecord) => t.personalData ?? null,
  },
  PersonalDataDeclaration: {
    fields: (d: PersonalDataDeclaration) => d.fields ?? [],
  },
  Execution: {
    privacy: (x: ExecutionRecord) => x.privacy ?? null,
  },
  Context: {
    privacy: (c: ContextRecord) => c.privacy ?? null,
  },
  PersonalDataStatus: {
    sources: (s: PersonalDataStatus, _args: unknown, ctx: RequestContext) => artifactsOf(s.sources, ctx),
  },
  PersonalDataEvidence: {
    source: (e: CategoryEvidence, _args: unknown, ctx: RequestContext) => artifactOf(e.source, ctx),
  },
  DataSubjectReport: {
    sources: (r: SubjectLineage, _args: unknown, ctx: RequestContext) => artifactsOf(r.sources, ctx),
    executions: (r: SubjectLineage, _args: unknown, ctx: RequestContext) => artifactsOf(r.executions, ctx),
    anonymizedBoundary: (r: SubjectLineage, _args: unknown, ctx: RequestContext) => artifactsOf(r.anonymizedBoundary, ctx),
  },
  AffectedArtifact: {
    artifact: (a: AffectedArtifact, _args: unknown, ctx: RequestContext) => artifactOf(a.artifactId, ctx),
  },
  ErasureRequest: {
    createdAt: (r: ErasureRequest) => r.createTime,
    notCovered: (r: ErasureRequest, _args: unknown, ctx: RequestContext) => artifactsOf(r.notCovered, ctx),
    progress: (r: ErasureRequest) => erasureProgress(r.items),
  },
  ErasureItem: {
    // Erasing the artifact is the point of the item: once it is gone, the copy taken with the request stands in.
    artifact: async (item: ErasureItemRecord, _args: unknown, ctx: RequestContext) => {
      const live = await artifactOf(item.artifactId, ctx);
      return live?.kind === 'ARTIFACT' ? live : item.artifact;
    },
    updatedAt: (item: ErasureItemRecord) => item.updateTime,
  },
  AuditEntry: {
    time: (e: AuditEntryRecord) => e.time,
    before: (e: AuditEntryRecord) => (e.before === null ? null : JSON.parse(e.before)),
    after: (e: AuditEntryRecord) => (e.after === null ? null : JSON.parse(e.after)),
  },
};
