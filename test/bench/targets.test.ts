/**
 * The targets table of docs/benchmarks.md (bench/report/targets.ts): each target judged
 * against its threshold from the figures of the results files, computed here by hand
 * for small made-up results, and "not measured" where no file holds the figure.
 */
import { describe, expect, it } from 'vitest';
import type { QueryKind } from '../../bench/query/lineage-targets.js';
import type { CellResult } from '../../bench/query/measure-queries.js';
import type { Direction } from '../../bench/query/query-plan.js';
import type { SystemResult, WorkloadResult } from '../../bench/report/results.js';
import { judgeTargets, renderTargets, type TargetRow } from '../../bench/report/targets.js';

const latency = (p50: number, p99 = p50) => ({ samples: 100, p50, p95: p99, p99, max: p99, mean: p50 });
const cell = (direction: Direction, hops: number, p50: number, kind: QueryKind = 'lineage'): CellResult =>
  ({ kind, direction, hops, reps: 5, latency: latency(p50), resultNodes: { min: 1, median: 900, max: 1000 }, checked: 20, mismatches: 0, truncated: 0,
    slowest: { artifact: 0, ms: p50, nodes: 1000 } });
const load = (connections: number, requestsPerSecond: number, p50: number) =>
  ({ connections, seconds: 10, requests: requestsPerSecond * 10, requestsPerSecond, latency: { p50, p97_5: p50, p99: p50, max: p50 }, errors: 0, non2xx: 0 });
const record = (clients: number, executionsPerSecond: number) =>
  ({ clients, executions: 100, items: 300, seconds: 1, executionsPerSecond, itemsPerSecond: 3 * executionsPerSecond, latency: latency(5) });

function system(name: 'mlmd' | 'sqlite' | 'neo4j', figures: Partial<SystemResult>): SystemResult {
  return {
    system: name, ingest: { path: 'service', seconds: 1, nodes: 1, edges: 1, itemsPerSecond: 1000 }, recordInProcess: record(1, 100),
    recordGraphql: [], queries: [], httpLineage: [], memory: { apiPeakRssKb: null, databasePeakRssKb: null }, diskBytes: null, pingMs: null,
    loadAverage: { before: [0], after: [0] }, wallSeconds: 1, ...figures,
  } as SystemResult;
}

const run = (size: string, systems: SystemResult[]): WorkloadResult => ({ size, workload: 'tfx', systems } as unknown as WorkloadResult);

const row = (rows: TargetRow[], target: string, where: string): TargetRow | undefined =>
  rows.find((r) => r.target.startsWith(target) && r.where.startsWith(where));

describe('the targets of issue 13, judged from results', () => {
  const results = [
    run('10k', [
      system('mlmd', { queries: [cell('UPSTREAM', 20, 10), cell('DOWNSTREAM', 5, 2)], recordInProcess: record(1, 400) }),
      system('sqlite', {
        queries: [cell('UPSTREAM', 20, 8), cell('DOWNSTREAM', 5, 3)],
        // 1 client: 11 ms over HTTP against 8 ms in-process is 1.375×; 8 clients: 150 against 100 requests/s is 1.5×.
        httpLineage: [load(1, 100, 11), load(8, 150, 60)],
        httpProbe: { query: 'q', latency: latency(10, 40), failures: 0, load: load(8, 150, 60) },
        recordGraphql: [record(1, 200), record(8, 450)],
      }),
    ]),
    run('1m', [
      system('mlmd', { queries: [cell('UPSTREAM', 20, 30)], diskBytes: 100 }),
      system('sqlite', { queries: [cell('UPSTREAM', 20, 14)], diskBytes: 250 }),
      system('neo4j', { queries: [cell('UPSTREAM', 20, 60)], diskBytes: 500 }),
    ]),
  ];
  const rows = judgeTargets(results);

  it('passes and misses each target at its threshold', () => {
    expect(row(rows, '20-hop upstream at 1m: p50 ≤ 15 ms', 'SQLite')).toMatchObject({ measured: '14 ms (900 nodes)', verdict: 'pass' });
    expect(row(rows, '20-hop upstream at 1m: p50 ≤ 50 ms', 'Neo4j')).toMatchObject({ measured: '60 ms (900 nodes)', verdict: 'miss' });
    expect(row(rows, 'lineage over HTTP, 1 client', 'SQLite')).toMatchObject({ measured: '1.38× (11 ms against 8 ms)', verdict: 'pass' });
    expect(row(rows, 'lineage over HTTP, 8 clients', 'SQLite')).toMatchObject({ measured: '1.5× (150 against 100 requests/s)', verdict: 'miss' });
    expect(row(rows, 'a small lookup while 8 clients', 'SQLite')).toMatchObject({ measured: '40 ms (p50 10 ms, 100 samples)', verdict: 'pass' });
    expect(row(rows, 'recordExecution, SQLite over HTTP, 8 clients', 'SQLite')).toMatchObject({ measured: '450/s against 400/s', verdict: 'pass' });
    expect(row(rows, 'disk at 1m: SQLite file', 'SQLite')).toMatchObject({ measured: '2.5× (0.000238 MiB against 0.0000954 MiB)', verdict: 'miss' });
    expect(row(rows, 'disk at 1m: Neo4j data folder', 'Neo4j')).toMatchObject({ verdict: 'pass' });
  });

  it('counts the cells ahead of ML Metadata and names the ones behind', () => {
    // 10k: upstream 20 at 8 against 10 ms is ahead, downstream 5 at 3 against 2 ms behind; 1m: 14 against 30 ms ahead.
    expect(row(rows, 'every lineage and impact cell', 'SQLite')).toMatchObject({
      measured: '2 of 3 cells; behind: 10k tfx downstream 5 1.5×', verdict: 'miss',
    });
  });

  it('says "not measured" where no results file holds the figure, rather than passing or failing', () => {
    expect(row(rows, 'a small lookup while 8 clients', 'Neo4j')).toMatchObject({ measured: '—', verdict: 'not measured' });
    expect(row(rows, 'dataSubjectLineage at 1m', 'SQLite')?.verdict).toBe('not measured');
    expect(row(rows, 'recordExecution, Neo4j: 8 HTTP clients', 'Neo4j')?.verdict).toBe('not measured');
    const table = renderTargets(results).split('\n');
    expect(table.slice(0, 2)).toEqual(['| target | where | measured | result |', '| --- | --- | --- | --- |']);
    expect(table).toContain('| lineage over HTTP, 8 clients: ≥ 1.6× the requests/s of 1 client | SQLite, 10k tfx | 1.5× (150 against 100 requests/s) | **miss** |');
  });
});

describe('the targets of issue 14, judged from results', () => {
  const grpc = (queries: CellResult[], nodesPerSecond?: number): Partial<SystemResult> => ({
    grpc: {
      ingest: { path: 'put_lineage_subgraph', seconds: 1, nodes: 1, edges: 1, itemsPerSecond: 1000 }, record: [], queries, filters: [], notes: [],
      serverPeakRssKb: null, loadAverage: { before: [0], after: [0] }, wallSeconds: 1,
    },
    ...(nodesPerSecond === undefined ? {} : {
      importMlmd: { nodes: 100_000, edges: 200_000, seconds: 100_000 / nodesPerSecond, nodesPerSecond, cpuSeconds: 1, verifySeconds: 1, checks: 10, checksEqual: 10, sourceBytes: 1 },
    }),
  });
  const results = [
    // 10k: outside the lineage target's sizes (100k and 1m); the import target is judged at every size.
    run('10k', [
      system('mlmd', { queries: [cell('UPSTREAM', 5, 1)] }),
      system('sqlite', grpc([cell('UPSTREAM', 5, 50)], 5000)),
    ]),
    run('100k', [
      system('mlmd', { queries: [cell('UPSTREAM', 5, 10), cell('UPSTREAM', 20, 20)] }),
      // SQLite: 8 against 10 ms and 20 against 20 ms (equal is as fast); Neo4j: 30 against 20 ms behind.
      system('sqlite', grpc([cell('UPSTREAM', 5, 8), cell('UPSTREAM', 20, 20)], 3000)),
      system('neo4j', grpc([cell('UPSTREAM', 5, 9), cell('UPSTREAM', 20, 30)])),
    ]),
  ];
  const rows = judgeTargets(results);

  it('counts the get_lineage_subgraph cells through gRPC at least as fast as ML Metadata in-process, at 100k and 1m only', () => {
    expect(row(rows, 'get_lineage_subgraph through gRPC', 'SQLite')).toMatchObject({ where: 'SQLite (100k tfx)', measured: '2 of 2 cells', verdict: 'pass' });
    expect(row(rows, 'get_lineage_subgraph through gRPC', 'Neo4j')).toMatchObject({ measured: '1 of 2 cells; behind: 100k tfx upstream 20 1.5×', verdict: 'miss' });
  });

  it('judges the import into SQLite by the rate 1M nodes in 5 minutes needs (3,333 nodes/s), at each size', () => {
    // 5,000 nodes/s: 1M in 3.33 min; 3,000 nodes/s: 5.56 min.
    expect(row(rows, 'journey import mlmd into SQLite', 'SQLite')).toMatchObject({
      where: 'SQLite, 10k/100k tfx', measured: '10k: 5,000 nodes/s (1M in 3.33 min; 100,000 nodes); 100k: 3,000 nodes/s (1M in 5.56 min; 100,000 nodes)', verdict: 'miss',
    });
  });

  it('says "not measured" without gRPC or import figures', () => {
    const none = judgeTargets([run('1m', [system('mlmd', { queries: [cell('UPSTREAM', 5, 1)] }), system('sqlite', {})])]);
    expect(row(none, 'get_lineage_subgraph through gRPC', 'SQLite')?.verdict).toBe('not measured');
    expect(row(none, 'journey import mlmd into SQLite', 'SQLite')?.verdict).toBe('not measured');
  });
});
