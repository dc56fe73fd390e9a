/**
 * get_artifacts with a filter_query (ML Metadata's filter language), asked of ML Metadata
 * in-process and of our gRPC face through the same client: from each start artifact of
 * the plan, a lookup by name and a compound filter over a join (artifacts of the start's
 * type attributed to the smallest context of the step that made it, or first read it).
 * Answers are checked against the generated graph before any is timed, as the lineage
 * cells are (bench/query/measure-queries.ts).
 */
import type { MlmdProcess } from '../mlmd/mlmd-process.js';
import type { FilterCellResult } from '../report/results.js';
import { spread, summarize } from '../report/stats.js';
import { artifactName, contextName, type BenchGraph } from '../workload/bench-graph.js';
import type { MeasureOptions } from './measure-queries.js';

/** One kind of filter, one query per start, with the artifacts each must return. */
export interface FilterCell {
  name: string;
  queries: string[];
  expected: number[][];
}

/** The filter cells for `starts` (artifact indices). */
export function planFilters(g: BenchGraph, starts: readonly number[]): FilterCell[] {
  // The step that made each start, or the first that read a source.
  const stepOf = new Map<number, number>();
  for (const a of starts) if (g.artifactProducer[a]! >= 0) stepOf.set(a, g.artifactProducer[a]!);
  for (let x = 0; x < g.steps.length && stepOf.size < new Set(starts).size; x++) {
    for (const a of g.steps[x]!.inputs) if (!stepOf.has(a) && starts.includes(a)) stepOf.set(a, x);
  }
  // Members of every context those steps ran in: one pass over the steps.
  const members = new Map<number, Set<number>>();
  for (const x of stepOf.values()) for (const c of g.steps[x]!.contexts) members.set(c, new Set());
  for (const step of g.steps) {
    for (const c of step.contexts) {
      const set = members.get(c);
      if (set) for (const a of [...step.inputs, ...step.outputs]) set.add(a);
    }
  }
  const byName: FilterCell = { name: 'by name', queries: [], expected: [] };
  const inContext: FilterCell = { name: 'by type and context', queries: [], expected: [] };
  for (const a of starts) {
    byName.queries.push(`name = '${artifactName(a)}'`);
    byName.expected.push([a]);
    const contexts = g.steps[stepOf.get(a)!]!.contexts;
    if (contexts.length === 0) continue;
    const c = contexts.reduce((best, k) => (members.get(k)!.size < members.get(best)!.size ? k : best));
    const type = g.artifactType[a]!;
    inContext.queries.push(`type = '${g.artifactTypes[type]}' AND contexts_a.name = '${contextName(c)}'`);
    inContext.expected.push([...members.get(c)!].filter((m) => g.artifactType[m] === type).sort((p, q) => p - q));
  }
  return [byName, inContext].filter((cell) => cell.queries.length > 0);
}

/** Checks, then times, every filter cell through `client` (ML Metadata's client, in-process or over gRPC). */
export async function measureFilters(
  client: MlmdProcess, cells: readonly FilterCell[], options: MeasureOptions, label: string, log: (line: string) => void,
): Promise<FilterCellResult[]> {
  const results: FilterCellResult[] = [];
  for (const cell of cells) {
    const t0 = performance.now();
    const { answers: checked } = await client.filter(cell.queries, 1, true);
    const checkMs = performance.now() - t0;
    let mismatches = 0;
    let firstMismatch: string | undefined;
    checked.forEach((answer, i) => {
      const want = cell.expected[i]!;
      const got = answer.artifacts ?? [];
      if (got.length === want.length && got.every((v, k) => v === want[k])) return;
      mismatches += 1;
      firstMismatch ??= `${cell.queries[i]}: got ${got.length} artifacts, expected ${want.length}`;
    });
    const reps = Math.max(1, Math.min(options.maxReps, Math.floor(options.cellBudgetMs / Math.max(1, checkMs))));
    const timed = mismatches === 0 ? (await client.filter(cell.queries, reps, false)).answers : checked;
    const result: FilterCellResult = {
      name: cell.name, example: cell.queries[0]!, reps: mismatches === 0 ? reps : 0,
      latency: summarize(timed.flatMap((a) => a.ms)),
      resultNodes: spread(checked.map((a) => a.count)),
      checked: checked.length, mismatches, ...(firstMismatch ? { firstMismatch } : {}),
    };
    log(`  ${label} get_artifacts ${cell.name}: p50 ${result.latency.p50} ms p95 ${result.latency.p95} ms`
      + ` (${result.latency.samples} samples, ${result.resultNodes.median} artifacts median)${mismatches ? ` MISMATCH x${mismatches}: ${firstMismatch}` : ''}`);
    results.push(result);
  }
  return results;
}
