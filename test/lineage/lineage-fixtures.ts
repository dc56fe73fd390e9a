/**
 * Small lineage graphs drawn as text, and readable views of lineage answers, so each
 * test states its graph and its expected answer by node name:
 *
 *   await draw(t.api, { artifacts: { d: 'Dataset', m: 'Model' }, executions: { x: 'Trainer' },
 *                      events: ['d -> x', 'x -> m'] });
 *
 * `a -> x` (artifact to execution) is an INPUT event, `x -> a` an OUTPUT event; another
 * kind is written on the arrow: `a -DECLARED_INPUT-> x`.
 */
import type { ArtifactState, EventType, TypeRecord } from '../../src/graph/model.js';
import type { GraphStore } from '../../src/graph/store.js';
import type { LineageEdge, LineageGraph } from '../../src/service/lineage/lineage-graph.js';
import { createLineageService, type LineageApi } from '../../src/service/lineage/lineage-service.js';
import type { MetadataApi } from '../../src/service/metadata/metadata-service.js';

export interface LineageTypes {
  Dataset: TypeRecord;
  Model: TypeRecord;
  Metrics: TypeRecord;
  Trainer: TypeRecord;
  Transform: TypeRecord;
  Evaluator: TypeRecord;
  Deployer: TypeRecord;
  Run: TypeRecord;
  Pipeline: TypeRecord;
}

/**
 * The types lineage tests use:
 *   artifacts   Dataset (DATASET), Model (MODEL) lr: DOUBLE, Metrics (METRICS) accuracy: DOUBLE
 *   executions  Trainer (TRAIN) epochs: INT, Transform (TRANSFORM), Evaluator (EVALUATE), Deployer (DEPLOY)
 *   contexts    Run, Pipeline
 */
export async function putLineageTypes(api: MetadataApi): Promise<LineageTypes> {
  return {
    Dataset: await api.putType('ARTIFACT_TYPE', { name: 'Dataset', baseType: 'DATASET' }),
    Model: await api.putType('ARTIFACT_TYPE', { name: 'Model', baseType: 'MODEL', properties: [{ name: 'lr', type: 'DOUBLE' }] }),
    Metrics: await api.putType('ARTIFACT_TYPE', { name: 'Metrics', baseType: 'METRICS', properties: [{ name: 'accuracy', type: 'DOUBLE' }] }),
    Trainer: await api.putType('EXECUTION_TYPE', { name: 'Trainer', baseType: 'TRAIN', properties: [{ name: 'epochs', type: 'INT' }] }),
    Transform: await api.putType('EXECUTION_TYPE', { name: 'Transform', baseType: 'TRANSFORM' }),
    Evaluator: await api.putType('EXECUTION_TYPE', { name: 'Evaluator', baseType: 'EVALUATE' }),
    Deployer: await api.putType('EXECUTION_TYPE', { name: 'Deployer', baseType: 'DEPLOY' }),
    Run: await api.putType('CONTEXT_TYPE', { name: 'Run' }),
    Pipeline: await api.putType('CONTEXT_TYPE', { name: 'Pipeline' }),
  };
}

/** An artifact of the drawing: a type name, or the type with a state and a uri. */
export type ArtifactSpec = string | { type: string; state?: ArtifactState; uri?: string };

export interface Drawing {
  artifacts?: Record<string, ArtifactSpec>;
  executions?: Record<string, string>;
  /** `a -> x`, `x -> a`, or `a -KIND-> x`. */
  events?: string[];
}

/** Names and ids of a drawn graph, both ways. */
export class DrawnGraph {
  private readonly ids = new Map<string, string>();
  private readonly names = new Map<string, string>();
  private readonly kinds = new Map<string, 'ARTIFACT' | 'EXECUTION'>();

  add(name: string, id: string, kind: 'ARTIFACT' | 'EXECUTION'): void {
    if (this.ids.has(name)) throw new Error(`the drawing names ${name} twice`);
    this.ids.set(name, id);
    this.names.set(id, name);
    this.kinds.set(name, kind);
  }

  /** The id of the node drawn as `name`. */
  id(name: string): string {
    const id = this.ids.get(name);
    if (!id) throw new Error(`no node ${name} in the drawing`);
    return id;
  }

  /** The name a node id was drawn with (ids not drawn are shown as they are). */
  name(id: string): string {
    return this.names.get(id) ?? id;
  }

  kind(name: string): 'ARTIFACT' | 'EXECUTION' {
    const kind = this.kinds.get(name);
    if (!kind) throw new Error(`no node ${name} in the drawing`);
    return kind;
  }

  /** Each returned node's distance, by name. */
  distances(graph: { nodes: readonly { id: string; distance: number }[] }): Record<string, number> {
    return Object.fromEntries(graph.nodes.map((n) => [this.name(n.id), n.distance]));
  }

  /** The edges as `source>target` (with `:KIND` unless INPUT or OUTPUT), sorted. */
  edges(edges: readonly LineageEdge[]): string[] {
    return edges.map((e) => this.edge(e)).sort();
  }

  /** A path's edges as `source>target`, in order. */
  path(edges: readonly LineageEdge[] | null): string[] | null {
    return edges === null ? null : edges.map((e) => this.edge(e));
  }

  private edge(e: LineageEdge): string {
    const plain = e.type === 'INPUT' || e.type === 'OUTPUT';
    return `${this.name(e.source)}>${this.name(e.target)}${plain ? '' : `:${e.type}`}`;
  }
}

const ARROW = /^\s*(\S+)\s+-(?:([A-Z_]+)-)?>\s+(\S+)\s*$/;

interface ParsedEvent { from: string; to: string; type: EventType | null }

function parseEvents(events: readonly string[]): ParsedEvent[] {
  return events.map((text) => {
    const m = ARROW.exec(text);
    if (!m) throw new Error(`cannot read event ${JSON.stringify(text)}`);
    return { from: m[1]!, to: m[3]!, type: (m[2] as EventType | undefined) ?? null };
  });
}

type KindOf = (name: string) => 'ARTIFACT' | 'EXECUTION';

function eventOf(kindOf: KindOf, e: ParsedEvent): { artifact: string; execution: string; type: EventType } {
  const fromArtifact = kindOf(e.from) === 'ARTIFACT';
  if (fromArtifact === (kindOf(e.to) === 'ARTIFACT')) throw new Error(`event ${e.from} -> ${e.to} must join an artifact and an execution`);
  return {
    artifact: fromArtifact ? e.from : e.to,
    execution: fromArtifact ? e.to : e.from,
    type: e.type ?? (fromArtifact ? 'INPUT' : 'OUTPUT'),
  };
}

/**
 * Stores a drawing: its new nodes and the events among them in one putLineageSubgraph
 * call; events touching nodes of `onto` (an earlier drawing) in one putEvents call.
 */
export async function draw(api: MetadataApi, drawing: Drawing, onto?: DrawnGraph): Promise<DrawnGraph> {
  const g = onto ?? new DrawnGraph();
  const artifactNames = Object.keys(drawing.artifacts ?? {});
  const executionNames = Object.keys(drawing.executions ?? {});
  const artifacts = artifactNames.map((name) => {
    const spec = drawing.artifacts![name]!;
    return typeof spec === 'string' ? { type: spec, name } : { type: spec.type, name, state: spec.state ?? null, uri: spec.uri ?? null };
  });
  const executions = executionNames.map((name) => ({ type: drawing.executions![name]!, name }));
  const fresh = new Set([...artifactNames, ...executionNames]);
  // Kinds of the new nodes are known before they have ids: they tell an event's direction.
  const kindOf: KindOf = (name) =>
    artifactNames.includes(name) ? 'ARTIFACT' : executionNames.includes(name) ? 'EXECUTION' : g.kind(name);
  const parsed = parseEvents(drawing.events ?? []);
  const inside = parsed.filter((e) => fresh.has(e.from) && fresh.has(e.to)).map((e) => eventOf(kindOf, e));
  const across = parsed.filter((e) => !(fresh.has(e.from) && fresh.has(e.to))).map((e) => eventOf(kindOf, e));
  const stored = await api.putLineageSubgraph({
    artifacts,
    executions,
    events: inside.map((e) => ({ artifactIndex: artifactNames.indexOf(e.artifact), executionIndex: executionNames.indexOf(e.execution), type: e.type })),
  });
  stored.artifacts.forEach((a, i) => g.add(artifactNames[i]!, a.id, 'ARTIFACT'));
  stored.executions.forEach((x, i) => g.add(executionNames[i]!, x.id, 'EXECUTION'));
  if (across.length > 0) {
    await api.putEvents(across.map((e) => ({ artifactId: g.id(e.artifact), executionId: g.id(e.execution), type: e.type })));
  }
  return g;
}

/** A lineage service over the test's store, with the default limits unless given. */
export function lineageOf(store: GraphStore, limits?: { maxHopsCeiling?: number; maxNodesCeiling?: number }): LineageApi {
  return createLineageService(store, limits);
}

/** The node ids of a graph, for checks that a node is absent. */
export const idsOf = (graph: LineageGraph): string[] => graph.nodes.map((n) => n.id);
