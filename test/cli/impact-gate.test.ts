/**
 * The CI gate's rules (src/cli/impact/impact-gate.ts) on a hand-made report:
 *
 *   raw ──▶ Transform ──▶ examples ──▶ Trainer ──▶ model (Model@v2)
 *                                   ╰─▶ Trainer ──▶ model-b (Model, unversioned)
 *   contexts: run-1 (PipelineRun) holds examples, Trainer, model; Pipeline/taxi holds them all.
 *   Pipeline/other exists but holds nothing affected. A type `Pipeline/taxi` exists too
 *   (an artifact type whose name looks like a context reference) but nothing affected is of it.
 */
import { describe, expect, it } from 'vitest';
import {
  gateFailsClosed, gateTrips, quoteForTerminal, splitTypeReference, typeNamedBy, unknownGateTargets, type GateReport, type GateTarget,
} from '../../src/cli/impact/impact-gate.js';

const art = (id: string, name: string, type: string, distance: number, version: string | null = null) =>
  ({ id, kind: 'ARTIFACT' as const, distance, artifact: { name, type: { name: type, version } }, execution: null });
const exe = (id: string, name: string, type: string, distance: number) =>
  ({ id, kind: 'EXECUTION' as const, distance, artifact: null, execution: { name, type: { name: type, version: null } } });

const REPORT: GateReport = {
  countsByType: [
    { kind: 'ARTIFACT', typeName: 'Model', typeVersion: 'v2', count: 1 },
    { kind: 'ARTIFACT', typeName: 'Model', typeVersion: null, count: 1 },
    { kind: 'ARTIFACT', typeName: 'Examples', typeVersion: null, count: 1 },
    { kind: 'EXECUTION', typeName: 'Trainer', typeVersion: null, count: 2 },
    { kind: 'EXECUTION', typeName: 'Transform', typeVersion: null, count: 1 },
  ],
  // models then artifacts: the model appears in both lists and is said once.
  nodes: [
    art('m1', 'model', 'Model', 4, 'v2'), art('m2', 'model-b', 'Model', 4),
    art('e1', 'examples', 'Examples', 2), art('m1', 'model', 'Model', 4, 'v2'), art('m2', 'model-b', 'Model', 4),
    exe('x1', 'transform', 'Transform', 1), exe('x2', 'train', 'Trainer', 3), exe('x3', 'train-b', 'Trainer', 3),
  ],
  contexts: [
    { artifactCount: 2, executionCount: 1, context: { id: 'c-run' } },
    { artifactCount: 3, executionCount: 3, context: { id: 'c-taxi' } },
  ],
};
const TYPES = [{ name: 'Model', version: 'v2' }, { name: 'Model', version: null }, { name: 'Examples' }, { name: 'Trainer' },
  { name: 'Transform' }, { name: 'Pipeline/taxi' }, { name: 'Dataset@2024' }, { name: 'Unreached' }];
const taxi = { id: 'c-taxi', name: 'taxi', typeName: 'Pipeline' };
const other = { id: 'c-other', name: 'other', typeName: 'Pipeline' };
const target = (flag: string, context: GateTarget['context'] = null): GateTarget => ({ flag, type: typeNamedBy(flag, TYPES), context });

describe('the impact gate', () => {
  it('reads Name@version as a versioned type, and a name holding an @ as itself when such a type exists', () => {
    expect(splitTypeReference('Model@v2')).toEqual({ name: 'Model', version: 'v2' });
    expect(splitTypeReference('Model')).toEqual({ name: 'Model', version: null });
    expect(splitTypeReference('@v2')).toEqual({ name: '@v2', version: null });
    expect(splitTypeReference('Model@')).toEqual({ name: 'Model@', version: null });
    expect(typeNamedBy('Model@v2', TYPES)).toEqual({ name: 'Model', version: 'v2' });
    expect(typeNamedBy('Model@v9', TYPES)).toBeNull();
    expect(typeNamedBy('Dataset@2024', TYPES)).toEqual({ name: 'Dataset@2024', version: null });
    expect(typeNamedBy('model', TYPES)).toBeNull(); // names are exact, as the store keeps them
  });

  it('trips on a type name of any version, one line per affected node of it, each node once', () => {
    const trips = gateTrips(REPORT, [target('Model')]);
    expect(trips.map((t) => t.line)).toEqual([
      '--fail-if-affected "Model": artifact "Model/model" (id m1, 4 hops) is affected',
      '--fail-if-affected "Model": artifact "Model/model-b" (id m2, 4 hops) is affected',
    ]);
  });

  it('trips on Name@version only for that version', () => {
    expect(gateTrips(REPORT, [target('Model@v2')]).map((t) => t.line)).toEqual([
      '--fail-if-affected "Model@v2": artifact "Model/model" (id m1, 4 hops) is affected',
    ]);
  });

  it('trips on an execution type as on an artifact type', () => {
    expect(gateTrips(REPORT, [target('Transform')]).map((t) => t.line)).toEqual([
      '--fail-if-affected "Transform": execution "Transform/transform" (id x1, 1 hop) is affected',
    ]);
  });

  it('says how many more nodes of the type the fetched lists left out', () => {
    const cut: GateReport = { ...REPORT, nodes: REPORT.nodes.slice(0, 1) };
    expect(gateTrips(cut, [target('Model')]).map((t) => t.line)).toEqual([
      '--fail-if-affected "Model": artifact "Model/model" (id m1, 4 hops) is affected',
      '--fail-if-affected "Model": and 1 more affected node of type "Model" not listed',
    ]);
    // Even when no node of it was listed, the counts (always whole) trip the gate.
    expect(gateTrips({ ...REPORT, nodes: [] }, [target('Trainer')]).map((t) => t.line)).toEqual([
      '--fail-if-affected "Trainer": 2 affected nodes of type "Trainer" (none listed)',
    ]);
  });

  it('trips on a context that holds an affected node, not on one that holds none', () => {
    expect(gateTrips(REPORT, [target('Pipeline/taxi', taxi)]).map((t) => t.line)).toEqual([
      '--fail-if-affected "Pipeline/taxi": context "Pipeline/taxi" (id c-taxi) holds 3 affected artifacts and 3 affected executions',
    ]);
    expect(gateTrips(REPORT, [target('Pipeline/other', other)])).toEqual([]);
  });

  it('trips a flag that names both a type and a context when either is reached', () => {
    // `Pipeline/taxi` is an artifact type (nothing affected is of it) and a context (reached).
    const both = target('Pipeline/taxi', taxi);
    expect(both.type).toEqual({ name: 'Pipeline/taxi', version: null });
    expect(gateTrips(REPORT, [both]).map((t) => t.flag)).toEqual(['Pipeline/taxi']);
    // And the other way round: the type reached, the context not.
    const typeReached = { flag: 'Model', type: { name: 'Model', version: null }, context: other };
    expect(gateTrips(REPORT, [typeReached])).toHaveLength(2);
  });

  it('with several flags, lists the trips of each reached flag in flag order and passes over the rest', () => {
    const trips = gateTrips(REPORT, [target('Unreached'), target('Trainer'), target('Pipeline/other', other), target('Model@v2')]);
    expect(trips.map((t) => t.flag)).toEqual(['Trainer', 'Trainer', 'Model@v2']);
  });

  it('passes when nothing is affected', () => {
    const empty: GateReport = { countsByType: [], nodes: [], contexts: [] };
    expect(gateTrips(empty, [target('Model'), target('Pipeline/taxi', taxi)])).toEqual([]);
  });

  it('refuses flags that name nothing, naming each, and accepts those naming a type or a context', () => {
    expect(unknownGateTargets([target('Model'), target('Pipeline/other', other)])).toBeNull();
    expect(unknownGateTargets([target('Modle'), target('Model'), target('Pipline/taxi')])).toBe(
      '--fail-if-affected "Modle", "Pipline/taxi": name no artifact type, execution type or context (a type is Name or Name@version, a context an id, an mlmdId or Type/name)',
    );
  });

  it('fails closed on a walk the server cut short, unless the caller bounded it with --hops', () => {
    const trip = gateTrips(REPORT, [target('Model')]);
    expect(gateFailsClosed([], true, false)).toBe(true);
    expect(gateFailsClosed([], true, true)).toBe(false);
    expect(gateFailsClosed([], false, false)).toBe(false);
    expect(gateFailsClosed(trip, true, false)).toBe(false); // tripped already: it fails for what it saw
  });

  it('quotes hostile names so that they cannot drive the terminal or the CI log', () => {
    const hostile = 'm\u001b[31mred\u009b2J\nnext\u202eevil\u2028';
    const quoted = quoteForTerminal(hostile);
    expect(quoted).toBe('"m\\u001b[31mred\\u009b2J\\nnext\\u202eevil\\u2028"');
    expect(quoted).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202e\u2028]/);
    const trips = gateTrips({ countsByType: [{ kind: 'ARTIFACT', typeName: 'Model', count: 1 }], nodes: [art('h', hostile, 'Model', 1)], contexts: [] }, [target('Model')]);
    expect(trips[0]!.line).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202e\u2028]/);
  });
});
