/**
 * A lineage answer of a chosen size made of the fans that break other tools (Mermaid's
 * "Edge limit exceeded" at a 600-input fan-in): raw → Split → `shards` Shard artifacts →
 * Merge → one model → `scorers` Score executions reading it. From the model, BOTH with 4
 * hops reaches all of it (`2 + shards + 2 + scorers` nodes); 3 hops leaves the raw input
 * out (truncated). Written through the GraphQL API in one putLineageSubgraph, as an
 * importer would. The explorer's large-graph test and its bench share it.
 */

/** Sends one GraphQL operation and returns its data (failing on any error). */
export type Send = <T>(query: string, variables?: Record<string, unknown>) => Promise<T>;

export interface FanGraph {
  raw: string;
  split: string;
  merge: string;
  model: string;
  shards: string[];
  scorers: string[];
  /** Nodes in the lineage of the model, BOTH, 4 hops. */
  nodes: number;
}

/** A unique prefix per call keeps several fan graphs apart in one store. */
let calls = 0;

export async function seedFanGraph(send: Send, { shards, scorers }: { shards: number; scorers: number }): Promise<FanGraph> {
  const tag = `fan${++calls}-${shards}x${scorers}`;
  await send(`mutation FanTypes {
    a: putArtifactType(input: { name: "RawData", baseType: DATASET }) { id }
    b: putArtifactType(input: { name: "Shard", baseType: DATASET }) { id }
    c: putArtifactType(input: { name: "FanModel", baseType: MODEL }) { id }
    d: putExecutionType(input: { name: "Split" }) { id }
    e: putExecutionType(input: { name: "Merge" }) { id }
    f: putExecutionType(input: { name: "Score" }) { id }
  }`);
  // Artifacts: 0 raw, 1 model, 2.. shards. Executions: 0 Split, 1 Merge, 2.. Score.
  const artifacts = [
    { type: 'RawData', name: `${tag}-raw` },
    { type: 'FanModel', name: `${tag}-model` },
    ...Array.from({ length: shards }, (_, i) => ({ type: 'Shard', name: `${tag}-shard-${String(i).padStart(5, '0')}` })),
  ];
  const executions = [
    { type: 'Split', name: `${tag}-split`, lastKnownState: 'COMPLETE' },
    { type: 'Merge', name: `${tag}-merge`, lastKnownState: 'COMPLETE' },
    ...Array.from({ length: scorers }, (_, i) => ({ type: 'Score', name: `${tag}-score-${String(i).padStart(5, '0')}`, lastKnownState: 'COMPLETE' })),
  ];
  const events = [
    { artifactIndex: 0, executionIndex: 0, type: 'INPUT' },
    ...Array.from({ length: shards }, (_, i) => [
      { artifactIndex: 2 + i, executionIndex: 0, type: 'OUTPUT' },
      { artifactIndex: 2 + i, executionIndex: 1, type: 'INPUT' },
    ]).flat(),
    { artifactIndex: 1, executionIndex: 1, type: 'OUTPUT' },
    ...Array.from({ length: scorers }, (_, i) => ({ artifactIndex: 1, executionIndex: 2 + i, type: 'INPUT' })),
  ];
  const data = await send<{ putLineageSubgraph: { artifacts: { id: string }[]; executions: { id: string }[] } }>(
    'mutation FanGraph($input: LineageSubgraphInput!) { putLineageSubgraph(input: $input) { artifacts { id } executions { id } } }',
    { input: { artifacts, executions, events } },
  );
  const a = data.putLineageSubgraph.artifacts.map((x) => x.id);
  const e = data.putLineageSubgraph.executions.map((x) => x.id);
  return {
    raw: a[0]!, model: a[1]!, shards: a.slice(2), split: e[0]!, merge: e[1]!, scorers: e.slice(2),
    nodes: 4 + shards + scorers,
  };
}
