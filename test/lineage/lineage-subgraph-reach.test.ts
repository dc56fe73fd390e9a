/**
 * The store's lineage reach both ways (ML Metadata's BIDIRECTIONAL), on every backend, and
 * what GetLineageSubgraph's walk (mlmdSubgraph) asks of the store: a fixed number of round
 * trips whatever its hops. Its answers against ML Metadata itself are pinned by the
 * differential (test/grpc/mlmd-differential.test.ts, group lineage_subgraph).
 *
 *   c ─┐
 *      ├─> x -> m -> y -> r      (d and c read by x, which writes m; y reads m, writes r)
 *   d ─┘
 */
import { describe, expect, it } from 'vitest';
import { EVENT_TYPES } from '../../src/graph/model.js';
import { stepSource, type LineageReach } from '../../src/graph/store.js';
import { countingStore } from '../api/harness.js';
import { BACKENDS, useService } from '../support/backends.js';
import { draw, lineageOf, putLineageTypes, type DrawnGraph } from './lineage-fixtures.js';
import { parseWhere } from '../../src/service/metadata/node-listing.js';
import { impliedEqualities } from '../../src/service/lineage/lineage-subgraph.js';

/** The starting listing seeks an index for a filter's top-level text equalities, and only for those. */
describe('the starting filter\'s implied equalities', () => {
  const implied = (kind: 'ARTIFACT' | 'EXECUTION', text: string) => impliedEqualities(kind, parseWhere(kind, text, 'f')!);
  it('lifts top-level name, external_id and uri equalities to text', () => {
    expect(implied('ARTIFACT', "uri = 'a' AND name = 'n' AND external_id = 'x'")).toEqual({ uri: 'a', name: 'n', externalId: 'x' });
    expect(implied('EXECUTION', "name = 'n'")).toEqual({ name: 'n' });
  });
  it('lifts nothing from OR, NOT, other comparisons or other fields', () => {
    expect(implied('ARTIFACT', "uri = 'a' OR name = 'n'")).toEqual({});
    expect(implied('ARTIFACT', "NOT(uri = 'a')")).toEqual({});
    expect(implied('ARTIFACT', "uri != 'a' AND name LIKE 'n%' AND id = 3 AND type = 'T'")).toEqual({});
  });
});

describe.each(BACKENDS)('lineage subgraph reach on $name', (backend) => {
  const t = useService(backend);

  async function graph(): Promise<DrawnGraph> {
    await putLineageTypes(t.api);
    return draw(t.api, {
      artifacts: { c: 'Dataset', d: 'Dataset', m: 'Model', r: 'Metrics' },
      executions: { x: 'Trainer', y: 'Evaluator' },
      events: ['c -> x', 'd -> x', 'x -> m', 'm -> y', 'y -> r'],
    });
  }

  /** By expanded node's name, the names of its neighbours, sorted. */
  function neighbours(g: DrawnGraph, reach: LineageReach): Record<string, string[]> {
    const out: Record<string, string[]> = Object.fromEntries(reach.expanded.map((id) => [g.name(id), [] as string[]]));
    for (const step of reach.steps) out[g.name(stepSource(step))]!.push(g.name(step.neighborId));
    for (const list of Object.values(out)) list.sort();
    return out;
  }

  it('a BOTH reach crosses every event from either end, so it meets what lies up and then down', async () => {
    const g = await graph();
    const both = await t.store.read((tx) => tx.lineageReach([g.id('d')], 'BOTH', EVENT_TYPES, null, 1, 1000));
    // From d, down to x, then from x every way: its other input c (up from x) and m.
    expect(neighbours(g, both)).toEqual({ d: ['x'], x: ['c', 'd', 'm'] });
    const twoHops = await t.store.read((tx) => tx.lineageReach([g.id('m')], 'BOTH', EVENT_TYPES, null, 2, 1000));
    expect(neighbours(g, twoHops)).toEqual({ m: ['x', 'y'], x: ['c', 'd', 'm'], y: ['m', 'r'], c: ['x'], d: ['x'], r: ['y'] });
    // Neither one-way reach from d meets c.
    for (const direction of ['UPSTREAM', 'DOWNSTREAM'] as const) {
      const one = await t.store.read((tx) => tx.lineageReach([g.id('d')], direction, EVENT_TYPES, null, 3, 1000));
      expect(one.steps.map((s) => g.name(s.neighborId))).not.toContain('c');
    }
  });

  it('a BOTH reach keeps to its event types and radius 0 expands the start alone', async () => {
    const g = await graph();
    const inputs = await t.store.read((tx) => tx.lineageReach([g.id('m')], 'BOTH', ['INPUT'], null, 5, 1000));
    // m's only INPUT event is to y; y's only INPUT event is m's.
    expect(neighbours(g, inputs)).toEqual({ m: ['y'], y: ['m'] });
    const zero = await t.store.read((tx) => tx.lineageReach([g.id('m')], 'BOTH', EVENT_TYPES, null, 0, 1000));
    expect(neighbours(g, zero)).toEqual({ m: ['x', 'y'] });
  });

  it('GetLineageSubgraph starts from the nodes its whole starting filter picks, an implied equality or not', async () => {
    await graph();
    const lineage = lineageOf(t.store);
    const names = async (filterQuery: string): Promise<string[]> => {
      const answer = await lineage.mlmdSubgraph({ startingArtifacts: { filterQuery }, maxNumHops: 0 });
      return answer.artifacts!.map((n) => n.name!).sort();
    };
    expect(await names("name = 'm'")).toEqual(['m']);
    await expect(names("name = 'm' AND name = 'r'")).rejects.toThrow(/no artifact matches the starting filter_query/);
    await expect(names("name = 'm' AND uri = 'elsewhere'")).rejects.toThrow(/no artifact matches the starting filter_query/);
    expect(await names("name = 'm' OR name = 'r'")).toEqual(['m', 'r']);
  });

  it('GetLineageSubgraph asks the store the same few things at 1 hop as at 100, events in one reach', async () => {
    const g = await graph();
    const [m] = await t.api.getNodes([g.id('m')]);
    const counting = countingStore(t.store);
    const lineage = lineageOf(counting.store);
    for (const direction of ['BIDIRECTIONAL', 'UPSTREAM'] as const) {
      for (const maxNumHops of [1, 100]) {
        counting.reset();
        await lineage.mlmdSubgraph({
          startingArtifacts: { filterQuery: `id = ${m!.mlmdId}` }, maxNumHops, direction,
          endingExecutions: { filterQuery: "name = 'y'", includeEndingNodes: true },
        });
        const tally = counting.tally();
        // The start and the ending filter are one listing each; every event comes in one reach.
        expect(tally).toMatchObject({ lineageReach: 1, listNodes: 2 });
        expect(tally).not.toHaveProperty('eventsByArtifacts');
        expect(tally).not.toHaveProperty('eventsByExecutions');
        // With records (at most two reads), contexts and the three kinds of type: nine at most, whatever the hops.
        expect(Object.values(tally).reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(9);
      }
    }
  });
});
