/**
 * Times the lineage and impact queries of a plan on one system, after checking its
 * answers: the first pass of every cell collects node sets and compares them with the
 * expected ones (the in-memory reference walk, which every system must match, so the
 * systems match each other); only then are the cell's timed repetitions run. A cell with
 * a wrong answer is kept in the results but flagged, and never reported as a speed.
 */
import { spread, summarize, type LatencySummary } from '../report/stats.js';
import type { LineageAsk, LineageTarget, QueryKind } from './lineage-targets.js';
import type { Direction } from './query-plan.js';
import type { ReferenceLineage } from './reference-walk.js';

export interface QueryCell {
  kind: QueryKind;
  direction: Direction;
  hops: number;
  starts: number[];
}

export interface CellResult {
  kind: QueryKind;
  direction: Direction;
  hops: number;
  /** Timed repetitions per start. */
  reps: number;
  latency: LatencySummary;
  /** Nodes per answer over the starts (artifacts and executions, the start included). */
  resultNodes: { min: number; median: number; max: number };
  checked: number;
  mismatches: number;
  firstMismatch?: string;
  /**
   * Answers our service marked truncated: maxHops left out something further away (its
   * maxNodes is at the ceiling, so that bound does not cut here; the node-set check would
   * catch it). Informational: ML Metadata has no such flag.
   */
  truncated: number;
  /** The slowest single query of the cell. */
  slowest: { artifact: number; ms: number; nodes: number };
}

export interface MeasureOptions {
  /** Time the timed repetitions of a cell may take, judged from the checking pass. */
  cellBudgetMs: number;
  maxReps: number;
}

interface Expected { artifacts: number[]; executions: number[] }

/** Expected answers, computed once and shared by every system. */
export class ExpectedAnswers {
  private readonly cache = new Map<string, Expected>();
  constructor(private readonly ref: ReferenceLineage) {}

  of(kind: QueryKind, q: LineageAsk): Expected {
    const direction: Direction = kind === 'impact' ? 'DOWNSTREAM' : q.direction;
    const key = `${direction}:${q.hops}:${q.artifact}`;
    let found = this.cache.get(key);
    if (!found) {
      const walked = this.ref.walk({ kind: 'ARTIFACT', index: q.artifact }, direction, q.hops);
      const sorted = (s: Set<number>): number[] => [...s].sort((a, b) => a - b);
      found = { artifacts: sorted(walked.artifacts), executions: sorted(walked.executions) };
      this.cache.set(key, found);
    }
    return found;
  }
}

const sameList = (a: readonly number[] | undefined, b: readonly number[]): boolean =>
  a !== undefined && a.length === b.length && a.every((v, i) => v === b[i]);

/** Checks, then times, every cell on `target`. */
export async function measureQueries(
  target: LineageTarget, cells: readonly QueryCell[], expected: ExpectedAnswers, options: MeasureOptions,
  log: (line: string) => void,
): Promise<CellResult[]> {
  const results: CellResult[] = [];
  for (const cell of cells) {
    const asks: LineageAsk[] = cell.starts.map((artifact) => ({ artifact, direction: cell.direction, hops: cell.hops }));
    const t0 = performance.now();
    const checked = await target.ask(cell.kind, asks, 1, true);
    const checkMs = performance.now() - t0;
    let mismatches = 0;
    let firstMismatch: string | undefined;
    checked.forEach((answer, i) => {
      const want = expected.of(cell.kind, asks[i]!);
      if (sameList(answer.artifacts, want.artifacts) && sameList(answer.executions, want.executions)) return;
      mismatches += 1;
      firstMismatch ??= `start a${asks[i]!.artifact}: got ${answer.artifacts?.length ?? '?'} artifacts + ${answer.executions?.length ?? '?'} executions, `
        + `expected ${want.artifacts.length} + ${want.executions.length}`;
    });
    const reps = Math.max(1, Math.min(options.maxReps, Math.floor(options.cellBudgetMs / Math.max(1, checkMs))));
    const timed = mismatches === 0 ? await target.ask(cell.kind, asks, reps, false) : checked;
    const samples = timed.flatMap((a) => a.ms);
    let slowest = { artifact: -1, ms: -1, nodes: 0 };
    timed.forEach((a, i) => {
      const worst = Math.max(...a.ms);
      if (worst > slowest.ms) slowest = { artifact: asks[i]!.artifact, ms: Math.round(worst * 1000) / 1000, nodes: a.nodes };
    });
    const result: CellResult = {
      kind: cell.kind, direction: cell.direction, hops: cell.hops, reps: mismatches === 0 ? reps : 0,
      latency: summarize(samples),
      resultNodes: spread(checked.map((a) => a.nodes)),
      checked: checked.length, mismatches,
      ...(firstMismatch ? { firstMismatch } : {}),
      truncated: checked.filter((a) => a.truncated).length,
      slowest,
    };
    log(`  ${target.name} ${cell.kind} ${cell.direction} ${cell.hops} hops: p50 ${result.latency.p50} ms p95 ${result.latency.p95} ms`
      + ` (${result.latency.samples} samples, ${result.resultNodes.median} nodes median)${mismatches ? ` MISMATCH x${mismatches}: ${firstMismatch}` : ''}`);
    results.push(result);
  }
  return results;
}
