/**
 * The personal-data phase of one of our backends, on the graph the lineage phase left
 * loaded: declare the workload's personal data (bench/privacy/privacy-plan.ts), register
 * about one data subject per node in batches of up to 100,000, then check and time
 * dataSubjectLineage (default maxHops) for a sample of subjects and personalDataStatus
 * (what Artifact.personalData resolves to) for a sample of artifacts at every depth.
 * Every answer is first compared with bench/privacy/privacy-reference.ts; a query with a
 * wrong answer is reported as WRONG and its times are not used. ML Metadata has no
 * equivalent, so there is no ratio.
 */
import os from 'node:os';
import type { GraphStore } from '../../src/graph/store.js';
import { personalDataSettings } from '../../src/service/privacy/personal-data-settings.js';
import { createServices } from '../../src/service/services.js';
import {
  createPersonalDataService, type PersonalDataApi, type PersonalDataStatus, type SubjectLineage,
} from '../../src/service/privacy/personal-data-service.js';
import { SubjectKey } from '../../src/service/privacy/subject-key.js';
import { isStoreError } from '../../src/graph/errors.js';
import type { NodeIds } from '../ingest/our-ingest.js';
import {
  BENCH_MIN_K, PRIVACY_PLANS, registrationBatches, sampleSubjects, sourceArtifacts, subjectId,
} from '../privacy/privacy-plan.js';
import { PrivacyReference, type ExpectedLineage, type ExpectedStatus } from '../privacy/privacy-reference.js';
import type { PrivacyQueryResult, PrivacyResult } from '../report/results.js';
import { spread, summarize } from '../report/stats.js';
import { artifactBaseType } from '../workload/type-bases.js';
import type { WorkloadContext } from './workload-context.js';

/** A fixed secret: the bench's subjects are made up, and a fixed key keeps runs comparable. */
const BENCH_SUBJECT_SECRET = 'bench-subject-secret-0f1e2d3c4b5a69788796a5b4c3d2e1f0';
/** Items per putArtifacts / putExecutions call when declaring. */
const DECLARE_BATCH = 10_000;
/** The service's default hop bound for dataSubjectLineage, which the phase uses. */
const SUBJECT_LINEAGE_HOPS = 100;
/** The service's default node ceiling: a status walk above it is refused. */
const STATUS_NODE_CEILING = 100_000;
const CALLER = 'bench';
/** One configuration for the write layer and the personal-data service, as src/service/services.ts shares it. */
const BENCH_SETTINGS = personalDataSettings({ aggregateMinK: BENCH_MIN_K });

const ascending = (a: number, b: number): number => a - b;
const sameList = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((v, i) => v === b[i]);

/** Index of every node by server id, and back. */
class IdIndex {
  private readonly byId: { artifacts: Map<string, number>; executions: Map<string, number> };
  constructor(readonly ids: NodeIds) { this.byId = ids.reverse(); }
  artifact(id: string): number { return this.byId.artifacts.get(id) ?? -1; }
  execution(id: string): number { return this.byId.executions.get(id) ?? -1; }
  node(id: string): { kind: 'ARTIFACT' | 'EXECUTION'; index: number } {
    const a = this.byId.artifacts.get(id);
    return a !== undefined ? { kind: 'ARTIFACT', index: a } : { kind: 'EXECUTION', index: this.byId.executions.get(id) ?? -1 };
  }
}

/** Puts the plan's declarations on the loaded graph; returns what was declared. */
async function declare(store: GraphStore, ctx: WorkloadContext, ids: NodeIds): Promise<PrivacyResult['declaration']> {
  const t0 = performance.now();
  const g = ctx.g;
  const plan = PRIVACY_PLANS[g.workload];
  const api = createServices(store, { personalData: BENCH_SETTINGS }).metadata;
  // Transforms first, as a pipeline declares its steps before data that holds anything
  // flows through them: every status is then derived once, when the declarations land,
  // rather than again for each batch of transforms.
  const transformed: number[] = [];
  g.steps.forEach((s, x) => { if (plan.transforms[g.executionTypes[s.type]!]) transformed.push(x); });
  for (let i = 0; i < transformed.length; i += DECLARE_BATCH) {
    const part = transformed.slice(i, i + DECLARE_BATCH);
    await api.putExecutions(part.map((x) => {
      const type = g.executionTypes[g.steps[x]!.type]!;
      const t = plan.transforms[type]!;
      return {
        id: ids.executions[x]!, type,
        privacy: {
          transform: t.transform,
          ...(t.transform === 'DROP' ? { categories: t.categories, specialCategories: t.specialCategories } : {}),
          ...(t.transform === 'AGGREGATE' ? { k: t.k } : {}),
        },
      };
    }));
  }
  for (const [name, personalData] of Object.entries(plan.typeDefaults)) {
    await api.putType('ARTIFACT_TYPE', { name, baseType: artifactBaseType(name), personalData });
  }
  let sources = 0;
  if (plan.sourceDeclaration) {
    const declaring = sourceArtifacts(g);
    for (let i = 0; i < declaring.length; i += DECLARE_BATCH) {
      const part = declaring.slice(i, i + DECLARE_BATCH);
      await api.putArtifacts(part.map((a) => ({ id: ids.artifacts[a]!, type: g.artifactTypes[g.artifactType[a]!]!, personalData: plan.sourceDeclaration })));
    }
    sources = declaring.length;
  }
  return {
    artifactTypes: Object.keys(plan.typeDefaults),
    sourceArtifacts: sources,
    executions: transformed.length,
    transforms: Object.fromEntries(Object.entries(plan.transforms).map(([type, t]) => [type, t.transform + (t.k !== null ? ` k=${t.k}` : '')
      + (t.categories.length + t.specialCategories.length > 0 ? ` ${[...t.categories, ...t.specialCategories].join(',')}` : '')])),
    seconds: (performance.now() - t0) / 1000,
  };
}

/** The first difference between a lineage answer and the expected one, or null. */
function lineageMismatch(got: SubjectLineage, want: ExpectedLineage, index: IdIndex, ref: PrivacyReference): string | null {
  if (!got.found) return 'found: false';
  if (got.truncated !== want.truncated) return `truncated ${got.truncated}, expected ${want.truncated}`;
  const sources = got.sources.map((id) => index.artifact(id)).sort(ascending);
  if (!sameList(sources, want.sources)) return `sources ${sources.join(',')}, expected ${want.sources.join(',')}`;
  if (got.affected.length !== want.affected.size) return `${got.affected.length} affected, expected ${want.affected.size}`;
  for (const a of got.affected) {
    const i = index.artifact(a.artifactId);
    const w = want.affected.get(i);
    if (!w) return `a${i} affected, not expected`;
    const fields = { categories: a.categories, specialCategories: a.specialCategories, pseudonymized: a.pseudonymized, distance: a.distance };
    if (JSON.stringify(fields) !== JSON.stringify({ categories: w.categories, specialCategories: w.specialCategories, pseudonymized: w.pseudonymized, distance: w.distance })) {
      return `a${i}: got ${JSON.stringify(fields)}, expected ${JSON.stringify(w)}`;
    }
    const route = a.route.map((id) => index.node(id));
    if (route.length !== a.distance + 1 || !ref.validRoute(route) || !want.sources.includes(route[0]!.index) || route[route.length - 1]!.index !== i) {
      return `a${i}: route ${a.route.length} long is not a data-flow path from a source`;
    }
  }
  const models = got.models.map((m) => index.artifact(m.artifactId)).sort(ascending);
  if (!sameList(models, want.models)) return `${models.length} models, expected ${want.models.length}`;
  const executions = got.executions.map((id) => index.execution(id)).sort(ascending);
  if (!sameList(executions, want.executions)) return `${executions.length} executions, expected ${want.executions.length}`;
  const boundary = got.anonymizedBoundary.map((id) => index.artifact(id)).sort(ascending);
  if (!sameList(boundary, want.anonymizedBoundary)) return `${boundary.length} boundary artifacts, expected ${want.anonymizedBoundary.length}`;
  return null;
}

/** The first difference between a status and the expected one, or null. */
function statusMismatch(got: PersonalDataStatus | null, want: ExpectedStatus | null, index: IdIndex, ref: PrivacyReference): string | null {
  if (want === null || got === null) return got === want ? null : `status ${got === null ? 'null' : 'present'}, expected ${want === null ? 'null' : 'present'}`;
  const fields = { categories: got.categories, specialCategories: got.specialCategories, declared: got.declared, pseudonymized: got.pseudonymized };
  const wanted = { categories: want.categories, specialCategories: want.specialCategories, declared: want.declared, pseudonymized: want.pseudonymized };
  if (JSON.stringify(fields) !== JSON.stringify(wanted)) return `got ${JSON.stringify(fields)}, expected ${JSON.stringify(wanted)}`;
  // The sources are those the evidence starts from, each one that may.
  const sources = got.sources.map((id) => index.artifact(id)).sort(ascending);
  const evidenceSources = [...new Set(got.evidence.map((e) => index.artifact(e.source)))].sort(ascending);
  if (!sameList(sources, evidenceSources)) return `sources ${sources.join(',')} are not those of the evidence, ${evidenceSources.join(',')}`;
  if (sources.some((s) => !want.possibleSources.includes(s))) return `a source ${sources.join(',')} is not among ${want.possibleSources.length} declaring ancestors`;
  for (const e of got.evidence) {
    const key = e.category !== null ? `c:${e.category}` : `s:${e.specialCategory}`;
    if (want.pseudonymizedKeys.get(key) !== e.pseudonymized) return `${key} pseudonymized ${e.pseudonymized}`;
    const route = e.route.map((id) => index.node(id));
    const source = index.artifact(e.source);
    if (!ref.validRoute(route) || route[0]!.index !== source || !(ref.declared[source]! & (1 << ref.keys.indexOf(key)))) {
      return `${key}: evidence route is not a data-flow path from an artifact declaring it`;
    }
  }
  return null;
}

interface Timed<T> { value: T; ms: number }
async function timed<T>(work: () => Promise<T>): Promise<Timed<T>> {
  const t0 = performance.now();
  const value = await work();
  return { value, ms: performance.now() - t0 };
}

/** The error code of a refused query, or rethrows anything else. */
function refusal(e: unknown): string {
  if (isStoreError(e)) return e.code;
  throw e;
}

/**
 * Checks every sample once, then repeats the correct ones within the cell budget. A
 * sample the service refuses for its own time budget (DEADLINE_EXCEEDED) is counted as
 * refused, not as wrong: it is reported, and never timed.
 */
async function measure<T>(
  samples: readonly number[],
  ask: (sample: number) => Promise<T>,
  check: (sample: number, answer: T | null, refused: string | null) => string | null,
  size: (answer: T) => Record<string, number>,
  ctx: WorkloadContext,
): Promise<PrivacyQueryResult> {
  let mismatches = 0;
  let refused = 0;
  const refusedBy: Record<string, number> = {};
  let firstMismatch: string | undefined;
  const firstMs: number[] = [];
  const sizes: Record<string, number[]> = {};
  const good: number[] = [];
  /** Counts a refused answer by its code (anything else is rethrown); returns the code. */
  const countRefusal = (e: unknown): string => {
    const code = refusal(e);
    refused += 1;
    refusedBy[code] = (refusedBy[code] ?? 0) + 1;
    return code;
  };
  for (const s of samples) {
    let answer: Timed<T | null>;
    let code: string | null = null;
    try {
      answer = await timed(() => ask(s));
    } catch (e) {
      code = countRefusal(e);
      answer = { value: null, ms: 0 };
    }
    const wrong = check(s, answer.value, code);
    if (wrong !== null) {
      mismatches += 1;
      firstMismatch ??= `sample ${s}: ${wrong}`;
      continue;
    }
    if (code !== null) continue;
    firstMs.push(answer.ms);
    good.push(s);
    for (const [k, v] of Object.entries(size(answer.value as T))) (sizes[k] ??= []).push(v);
  }
  const perSample = firstMs.reduce((sum, v) => sum + v, 0) / Math.max(1, firstMs.length);
  const reps = Math.max(1, Math.min(ctx.options.measure.maxReps, Math.floor(ctx.options.measure.cellBudgetMs / Math.max(1, perSample * good.length))));
  const ms: number[] = [];
  if (mismatches === 0) {
    for (const s of good) {
      for (let r = 0; r < reps; r++) {
        // A repetition can run past a time budget the first answer met (the load moves):
        // counted as refused like the first, not timed.
        try {
          ms.push((await timed(() => ask(s))).ms);
        } catch (e) {
          countRefusal(e);
        }
      }
    }
  }
  return {
    reps: mismatches === 0 ? reps : 0,
    latency: summarize(ms),
    checked: samples.length,
    mismatches,
    ...(firstMismatch ? { firstMismatch } : {}),
    refused,
    refusedBy,
    sizes: Object.fromEntries(Object.entries(sizes).map(([k, v]) => [k, spread(v)])),
  };
}

/** Artifacts to ask the status of: models by depth, then any artifact by depth (half of them each). */
function statusSamples(ctx: WorkloadContext, ref: PrivacyReference, count: number): number[] {
  const byDepth = (list: number[]): number[] => list.sort((a, b) => ctx.ref.artifactDepth[a]! - ctx.ref.artifactDepth[b]! || a - b);
  const all = byDepth(Array.from(ctx.g.artifactType, (_, a) => a));
  const models = all.filter((a) => ref.isModel(a));
  const spreadOver = (list: number[], n: number): number[] =>
    list.length === 0 ? [] : Array.from({ length: Math.min(n, list.length) }, (_, j) => list[Math.floor(((j + 0.5) * list.length) / Math.min(n, list.length))]!);
  const half = Math.ceil(count / 2);
  return [...new Set([...spreadOver(models, half), ...spreadOver(all, count - Math.min(half, models.length))])];
}

/** Runs the personal-data phase on `store` (already loaded with the whole graph). */
export async function runPrivacyPhase(store: GraphStore, ctx: WorkloadContext, ids: NodeIds, log: (line: string) => void): Promise<PrivacyResult> {
  const before = os.loadavg();
  const g = ctx.g;
  const plan = PRIVACY_PLANS[g.workload];
  const ref = new PrivacyReference(g, plan);
  const index = new IdIndex(ids);
  const privacy: PersonalDataApi = createPersonalDataService(store, { subjectKey: new SubjectKey(BENCH_SUBJECT_SECRET), settings: BENCH_SETTINGS });

  const declaration = await declare(store, ctx, ids);
  log(`personal data declared in ${declaration.seconds.toFixed(1)} s (${declaration.executions} executions with a transform)`);

  const holders = sourceArtifacts(g).filter((a) => ref.facts[a] !== 0);
  const subjects = g.artifactType.length + g.steps.length + g.contextType.length;
  const { batchSize, batches } = registrationBatches(subjects, holders);
  const batchSeconds: number[] = [];
  let registrations = 0;
  const t0 = performance.now();
  for (const b of batches) {
    const subjectIds = Array.from({ length: b.to - b.from }, (_, i) => subjectId(b.from + i));
    const t = await timed(() => privacy.registerDataSubjects(ids.artifacts[b.holder]!, subjectIds, CALLER));
    if (t.value !== subjectIds.length) throw new Error(`registerDataSubjects made ${t.value} registrations of ${subjectIds.length} new ones`);
    registrations += t.value;
    batchSeconds.push(t.ms / 1000);
  }
  const registerSeconds = (performance.now() - t0) / 1000;
  const registration: PrivacyResult['registration'] = {
    subjects, registrations, batches: batches.length, batchSize, holders: new Set(batches.map((b) => b.holder)).size,
    seconds: registerSeconds, subjectsPerSecond: subjects / Math.max(1e-9, registerSeconds),
    batchSeconds: summarize(batchSeconds.map((s) => s * 1000)),
  };
  log(`registered ${subjects} subjects in ${batches.length} batches of up to ${batchSize}: ${registerSeconds.toFixed(1)} s, `
    + `${registration.subjectsPerSecond.toFixed(0)} subjects/s, slowest batch ${Math.max(...batchSeconds, 0).toFixed(2)} s`);

  const holdersOf = (s: number): number[] => batches.filter((b) => s >= b.from && s < b.to).map((b) => b.holder);
  const samples = sampleSubjects(batches, ctx.starts.UPSTREAM.length);
  const expectedLineage = new Map(samples.map((s) => [s, ref.lineage(holdersOf(s), SUBJECT_LINEAGE_HOPS)]));
  const unknown = await privacy.dataSubjectLineage('bench-subject-unknown', {}, CALLER);
  const unknownRight = !unknown.found && unknown.sources.length === 0 && unknown.affected.length === 0 && unknown.models.length === 0;
  const subjectLineage = await measure(
    samples,
    (s) => privacy.dataSubjectLineage(subjectId(s), {}, CALLER),
    (s, answer, code) => (code === 'DEADLINE_EXCEEDED' ? null : answer === null ? `refused: ${code}` : lineageMismatch(answer, expectedLineage.get(s)!, index, ref)),
    (answer) => ({ affected: answer.affected.length, models: answer.models.length, executions: answer.executions.length, contexts: answer.contexts.length }),
    ctx,
  );
  if (!unknownRight) {
    subjectLineage.mismatches += 1;
    subjectLineage.firstMismatch ??= 'an unknown subject was found';
  }
  subjectLineage.checked += 1;
  log(`dataSubjectLineage (maxHops ${SUBJECT_LINEAGE_HOPS}): p50 ${subjectLineage.latency.p50} ms p95 ${subjectLineage.latency.p95} ms, `
    + `affected median ${subjectLineage.sizes.affected?.median ?? 0}${subjectLineage.mismatches ? ` MISMATCH x${subjectLineage.mismatches}: ${subjectLineage.firstMismatch}` : ''}`);

  const artifacts = statusSamples(ctx, ref, ctx.starts.UPSTREAM.length);
  const expectedStatus = new Map(artifacts.map((a) => [a, ref.status(a)]));
  const upstreamNodes = (a: number): number => expectedStatus.get(a)?.upstreamNodes ?? 0;
  const personalDataStatus = await measure(
    artifacts,
    async (a) => (await privacy.personalDataStatus([ids.artifacts[a]!], CALLER))[0] ?? null,
    (a, answer, code) => {
      const want = expectedStatus.get(a)!;
      // Above the node ceiling the service refuses rather than answer from part of the ancestry.
      if (want !== null && want.upstreamNodes > STATUS_NODE_CEILING) return code === 'FAILED_PRECONDITION' ? null : `expected a refusal, got ${code ?? 'an answer'}`;
      if (code !== null) return code === 'DEADLINE_EXCEEDED' ? null : `refused: ${code}`;
      return statusMismatch(answer, want, index, ref);
    },
    (answer) => ({ categories: answer ? answer.categories.length + answer.specialCategories.length : 0, sources: answer?.sources.length ?? 0 }),
    ctx,
  );
  personalDataStatus.sizes.depth = spread(artifacts.map((a) => ctx.ref.artifactDepth[a]!));
  personalDataStatus.sizes.upstreamNodes = spread(artifacts.map(upstreamNodes));
  log(`personalDataStatus (one artifact): p50 ${personalDataStatus.latency.p50} ms p95 ${personalDataStatus.latency.p95} ms, `
    + `${personalDataStatus.refused} refused above the node ceiling${personalDataStatus.mismatches ? ` MISMATCH x${personalDataStatus.mismatches}: ${personalDataStatus.firstMismatch}` : ''}`);

  return { declaration, registration, subjectLineage, personalDataStatus, loadAverage: { before, after: os.loadavg() } };
}
