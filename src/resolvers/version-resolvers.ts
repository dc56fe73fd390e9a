/**
 * Resolvers of the dataset versions part of schema.graphql: arguments in, one versions
 * service call, result out. A version's writer and readers come through the request's
 * loaders (its events, then the runs' records), so a page of fifty versions costs one
 * events batch and one records batch, never a call per version. Artifact.versions is one
 * service call for every artifact of the response (a per-request DataLoader).
 */
import DataLoader from 'dataloader';
import type { ArtifactRecord, NodeRecord } from '../graph/model.js';
import type { PageArgs } from '../service/shared/paging.js';
import { MAX_BATCH } from '../service/shared/validate.js';
import {
  pageOfArtifactVersions, type DatasetVersion, type RunVersionsUsed, type UpstreamRun, type VersionsUsedReport, type VersionUsed,
} from '../service/versions/versions-service.js';
import type { RequestContext } from './context.js';
import { countedPageFields } from './connections.js';
import { loadPresent } from './loaders.js';

/** Artifact.versions for every artifact of one response in one service call; made on the request's first use. */
function versionsLoader(ctx: RequestContext): DataLoader<string, DatasetVersion[]> {
  ctx.datasetVersionsOf ??= new DataLoader((ids: readonly string[]) => ctx.versions.versionsOfArtifacts(ids), { maxBatchSize: MAX_BATCH });
  return ctx.datasetVersionsOf;
}

/** The versions' artifacts primed into the node loader (their fields are often asked next). */
function primeVersions<T extends { nodes: DatasetVersion[] }>(page: T, ctx: RequestContext): T {
  for (const v of page.nodes) {
    ctx.loaders.nodes.prime(v.artifact.id, v.artifact);
    ctx.loaders.nodes.prime(v.dataset.id, v.dataset);
  }
  return page;
}

/** The runs with events of one type to an artifact, in event order. */
async function runsOf(artifactId: string, type: 'INPUT' | 'OUTPUT', ctx: RequestContext): Promise<NodeRecord[]> {
  const events = await ctx.loaders.eventsByArtifact.load(artifactId);
  return loadPresent(ctx.loaders.nodes, [...new Set(events.filter((e) => e.type === type).map((e) => e.executionId))]);
}

const runOf = (r: { runId: string }, _args: unknown, ctx: RequestContext) => ctx.loaders.nodes.load(r.runId);

/** The resolver map for the dataset versions types and fields. */
export const versionResolvers = {
  Query: {
    datasetVersions: async (_: unknown, args: { name: string } & PageArgs, ctx: RequestContext) => {
      const page = await ctx.versions.datasetVersions(args.name, args);
      return page === null ? null : primeVersions(page, ctx);
    },
    versionsUsed: (_: unknown, args: { artifact: string; maxHops?: number | null; maxNodes?: number | null }, ctx: RequestContext) =>
      ctx.versions.versionsUsed(args, { deadline: ctx.deadline }),
    diffVersions: (_: unknown, args: { a: string; b: string }, ctx: RequestContext) => ctx.versions.diffVersions(args.a, args.b),
  },
  Artifact: {
    versions: async (a: ArtifactRecord, args: PageArgs, ctx: RequestContext) =>
      primeVersions(pageOfArtifactVersions(await versionsLoader(ctx).load(a.id), args), ctx),
  },
  DatasetVersion: {
    datasetName: (v: DatasetVersion) => v.dataset.name,
    uri: (v: DatasetVersion) => v.artifact.uri,
    writtenBy: async (v: DatasetVersion, _args: unknown, ctx: RequestContext) => (await runsOf(v.artifact.id, 'OUTPUT', ctx))[0] ?? null,
    readBy: (v: DatasetVersion, _args: unknown, ctx: RequestContext) => runsOf(v.artifact.id, 'INPUT', ctx),
  },
  VersionUsed: {
    dataset: (u: VersionUsed) => u.version?.dataset ?? null,
    datasetName: (u: VersionUsed) => u.version?.dataset.name ?? null,
    version: (u: VersionUsed) => u.version?.version ?? null,
    versionTime: (u: VersionUsed) => u.version?.versionTime ?? null,
    digest: (u: VersionUsed) => u.version?.digest ?? null,
    uri: (u: VersionUsed) => u.artifact.uri,
    downstreamOfStart: (u: VersionUsed & { downstreamOfStart?: boolean }) => u.downstreamOfStart ?? null,
  },
  VersionsUsedReport: {
    start: (r: VersionsUsedReport, _args: unknown, ctx: RequestContext) => ctx.loaders.nodes.load(r.startId),
  },
  RunVersionsUsed: { run: (r: RunVersionsUsed, args: unknown, ctx: RequestContext) => runOf(r, args, ctx) },
  UpstreamRun: { run: (r: UpstreamRun, args: unknown, ctx: RequestContext) => runOf(r, args, ctx) },
  DatasetVersionConnection: countedPageFields,
};
