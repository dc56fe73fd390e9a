/**
 * The benchmark's gRPC and import phases end to end at the `tiny` size, on the pipelines
 * workload and both backends: ML Metadata's own client pointed at our gRPC face (bulk
 * put, put_execution from 1 and 8 client threads, get_lineage_subgraph, get_artifacts with
 * filter_query) against ML Metadata in-process, and `journey import mlmd` of ML Metadata's
 * store. It asserts the rows exist with numbers, that every answer was right and that the
 * report computes the ratios; it never asserts a time. A call the server does not answer
 * yet (UNIMPLEMENTED, or a filter_query refused) must be named in the notes instead.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runBench } from '../../bench/bench-run.js';
import { parseCli } from '../../bench/cli-options.js';
import { PYTHON } from '../../bench/mlmd/mlmd-process.js';
import { renderTables } from '../../bench/report/markdown.js';
import { judgeTargets } from '../../bench/report/targets.js';
import type { WorkloadResult } from '../../bench/report/results.js';
import { commandRuns, suiteNeo4jUri, toolAvailable } from '../support/requirements.js';

const HAS_PYTHON = toolAvailable(
  commandRuns(PYTHON, ['--version']) || commandRuns('python3', ['-c', 'import venv']),
  'python3 is not on PATH', 'the benchmark gRPC and import smoke test (ML Metadata needs Python 3.11)',
);
const HAS_NEO4J = HAS_PYTHON && suiteNeo4jUri() !== undefined;

const scratch = mkdtempSync(path.join(os.tmpdir(), 'journey-bench-grpc-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe.skipIf(!HAS_NEO4J)('benchmark gRPC and import phases (tiny)', () => {
  let result: WorkloadResult;
  const ours = (): WorkloadResult['systems'] => result.systems.filter((s) => s.system !== 'mlmd');

  it('runs ML Metadata, then the import and ML Metadata\'s client over gRPC on each backend', async () => {
    const options = parseCli(['--size', 'tiny', '--workloads', 'tfx', '--no-compare-ingest', '--out', path.join(scratch, 'results'),
      '--work-dir', path.join(scratch, 'work'), '--no-docs']);
    expect({ grpc: options.grpc, importInto: options.importInto }).toEqual({ grpc: true, importInto: ['sqlite', 'neo4j'] });
    [result] = await runBench({ ...options, neo4jUri: suiteNeo4jUri()!, command: 'bench gRPC smoke test', log: () => undefined }) as [WorkloadResult];
    expect(result.systems.map((s) => s.system)).toEqual(['mlmd', 'sqlite', 'neo4j']);
  }, 900_000);

  it('imports every node of ML Metadata\'s store into each backend, verified', () => {
    for (const s of ours()) {
      const i = s.importMlmd!;
      expect({ backend: s.system, nodes: i.nodes, equal: i.checksEqual }).toEqual({ backend: s.system, nodes: result.counts.nodes, equal: i.checks });
      expect(i.checks).toBeGreaterThan(0);
      expect(i.nodesPerSecond).toBeGreaterThan(0);
    }
  });

  it('loads the same graph through gRPC and records the tail from 1 client and 8 client threads', () => {
    const mlmd = result.systems.find((s) => s.system === 'mlmd')!;
    for (const s of ours()) {
      const g = s.grpc!;
      const bulkNoted = g.notes.some((n) => n.startsWith('put_lineage_subgraph'));
      expect({ backend: s.system, path: g.ingest.path }).toEqual({ backend: s.system, path: bulkNoted ? 'put_execution' : 'put_lineage_subgraph' });
      expect(g.ingest.nodes + g.ingest.edges).toBe(mlmd.ingest.nodes + mlmd.ingest.edges);
      // The warm-up segment is not counted; the 8 threads record every segment after the 1-client one.
      expect(g.record.map((run) => [run.clients, run.executions])).toEqual([[1, result.tailSegment], [8, 4 * result.tailSegment]]);
      for (const run of g.record) expect(run.latency.samples).toBe(run.executions);
    }
  });

  it('checks every get_lineage_subgraph and filtered get_artifacts answer through gRPC against the graph, or names the call the server refuses', () => {
    const mlmd = result.systems.find((s) => s.system === 'mlmd')!;
    expect(mlmd.filters!.map((f) => [f.name, f.mismatches])).toEqual([['by name', 0], ['by type and context', 0]]);
    for (const s of ours()) {
      const g = s.grpc!;
      const noted = (call: string): boolean => g.notes.some((n) => n.startsWith(call));
      expect(g.queries.length, `${s.system} lineage cells`).toBe(noted('get_lineage_subgraph') ? 0 : 6);
      expect(g.filters.length, `${s.system} filter cells`).toBe(noted('get_artifacts with filter_query') ? 0 : 2);
      for (const c of [...g.queries, ...g.filters]) {
        expect({ backend: s.system, mismatches: c.mismatches, firstMismatch: c.firstMismatch }).toEqual({ backend: s.system, mismatches: 0, firstMismatch: undefined });
        expect(c.latency.samples).toBeGreaterThanOrEqual(c.checked);
      }
    }
  });

  it('renders the gRPC and import tables with the ratios computed, and judges the import target', () => {
    const text = renderTables([result]);
    expect(text).toContain("#### ML Metadata's client over our gRPC face: writes");
    expect(text).toContain('#### `journey import mlmd`');
    for (const backend of ['sqlite', 'neo4j']) {
      // put_execution from 8 threads against ML Metadata's one in-process client: a ratio, not a dash.
      expect(text).toMatch(new RegExp(`\\| tfx \\| ${backend} \\| put_execution \\| 8 \\| .* \\| [0-9.,]+× \\|`));
      expect(text).toMatch(new RegExp(`\\| tfx \\| ${backend} \\| [0-9.]+ MiB \\| ${result.counts.nodes} \\|`));
    }
    const lineageRows = text.split('\n').filter((l) => l.includes('get_lineage_subgraph UPSTREAM'));
    expect(lineageRows).toHaveLength(3);
    for (const backend of ['sqlite', 'neo4j'] as const) {
      if (result.systems.find((s) => s.system === backend)!.grpc!.queries.length === 0) continue;
      const column = backend === 'sqlite' ? 6 : 7;
      for (const line of lineageRows) expect(line.split('|').map((c) => c.trim())[column + 1]).toMatch(/^[0-9.,]+×$/);
    }
    expect(text).not.toContain('WRONG');
    const importRow = judgeTargets([result]).find((r) => r.target.startsWith('journey import mlmd into SQLite'))!;
    expect(importRow.verdict).not.toBe('not measured');
  });
});
