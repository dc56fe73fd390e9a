/**
 * ML Metadata's GetLineageSubgraph, by its rules (metadata_store.cc and
 * rdbms_metadata_access_object.cc's QueryLineageSubgraph), for the gRPC face:
 *
 * - The walk starts from the artifacts OR the executions a filter_query picks: the first
 *   101 by id (MLMD lists them with its page cap of 100 plus the row it reads to detect a
 *   next page). None picked is NOT_FOUND; no starting set, or a blank filter, INVALID_ARGUMENT.
 * - One hop crosses one event: artifact -> execution or execution -> artifact; the kinds
 *   alternate, so the frontier is all of one kind at each step. max_num_hops: absent
 *   means 100, negative is refused, above 100 is clamped to 100.
 * - UPSTREAM follows, from an artifact, the output-kind events that produced it and, from
 *   an execution, its input-kind events; DOWNSTREAM the mirror; BIDIRECTIONAL (and an
 *   unset direction) follows every event from each frontier node, at every step.
 * - Ending filters mark nodes (starting ones included) that are reached but not expanded;
 *   they are returned, with the events leading to them, only under include_ending_nodes.
 * - Events returned are those the walk crossed to a new node, plus, for a directional
 *   walk, those that lead back to a node already reached (MLMD leaves them out of a
 *   BIDIRECTIONAL walk, where each event would otherwise appear from both of its ends).
 * - contexts are those of every returned artifact and execution; attributions and
 *   associations those of the returned artifacts and executions; *_types every type of
 *   the kind, as MLMD's FindTypes answers.
 *
 * A fixed number of store round trips per hop (the frontier's events; with an ending
 * filter, the candidates' records and one filtered listing), never one per node.
 */
import { InvalidArgumentError, NotFoundError } from '../../graph/errors.js';
import type { FilterQuery } from '../../graph/filter-query.js';
import type { ContextRecord, EventRecord, EventType, NodeRecord, TypeRecord } from '../../graph/model.js';
import { isInputEvent } from '../../graph/model.js';
import type { StoreTx } from '../../graph/store.js';
import type { Deadline } from '../shared/deadline.js';
import { parseWhere } from '../metadata/node-listing.js';

export type SubgraphDirection = 'DIRECTION_UNSPECIFIED' | 'UPSTREAM' | 'DOWNSTREAM' | 'BIDIRECTIONAL';

/** ML Metadata's LineageSubgraphQueryOptions, as plain values. */
export interface LineageSubgraphQuery {
  /** Exactly one of the two starting sets is read (artifacts first, as MLMD's oneof allows only one). */
  startingArtifacts?: { filterQuery?: string | null } | null;
  startingExecutions?: { filterQuery?: string | null } | null;
  /** Absent: 100; more than 100 counts as 100. */
  maxNumHops?: number | null;
  /** Absent: every event, as BIDIRECTIONAL. */
  direction?: SubgraphDirection | null;
  endingArtifacts?: SubgraphEnding | null;
  endingExecutions?: SubgraphEnding | null;
  /** LineageGraph's fields to fill; empty: all of them. Unknown paths fill nothing, as in MLMD. */
  readMask?: readonly string[];
}

export interface SubgraphEnding {
  /** Absent: no ending nodes. Present but blank: every node reached is one (MLMD's filter without a condition). */
  filterQuery?: string | null;
  includeEndingNodes?: boolean;
}

/** The answer: only the fields the read mask names are present. */
export interface LineageSubgraph {
  artifacts?: NodeRecord[];
  executions?: NodeRecord[];
  contexts?: ContextRecord[];
  events?: EventRecord[];
  attributions?: { contextId: string; artifactId: string }[];
  associations?: { contextId: string; executionId: string }[];
  artifactTypes?: TypeRecord[];
  executionTypes?: TypeRecord[];
  contextTypes?: TypeRecord[];
  /** The ML Metadata id of every node the answer names (events' ends included), by server id. */
  mlmdIdOf: ReadonlyMap<string, number>;
}

/** MLMD's bound on hops (kQueryLineageSubgraphMaxNumHops), also its default. */
export const SUBGRAPH_MAX_HOPS = 100;
/** How many starting nodes MLMD walks from: its list cap of 100, plus the one row it reads past a page. */
export const SUBGRAPH_STARTING_NODES = 101;

/** LineageGraph's fields, in its order: an empty read mask means all of them. */
export const LINEAGE_GRAPH_FIELDS = [
  'artifact_types', 'execution_types', 'context_types', 'artifacts', 'executions', 'contexts', 'events', 'attributions',
  'associations', 'parent_contexts',
] as const;

const OUTPUT_LIKE = (t: EventType): boolean => !isInputEvent(t);

/** Whether an event from a frontier node of this kind may be crossed in `direction` (MLMD's FilterEventsByDirectionAndEventType). */
function crossable(direction: SubgraphDirection, fromArtifacts: boolean, type: EventType): boolean {
  if (direction === 'UPSTREAM') return fromArtifacts ? OUTPUT_LIKE(type) : isInputEvent(type);
  if (direction === 'DOWNSTREAM') return fromArtifacts ? isInputEvent(type) : OUTPUT_LIKE(type);
  return true;
}

type Kind = 'ARTIFACT' | 'EXECUTION';

interface ValidQuery {
  from: Kind;
  start: FilterQuery;
  maxHops: number;
  direction: SubgraphDirection;
  /** By kind: the parsed ending filter, `true` when blank (every node ends), absent when none. */
  ending: Partial<Record<Kind, FilterQuery | true>>;
  include: Record<Kind, boolean>;
  mask: ReadonlySet<string>;
}

const OPTIONS = 'lineage_subgraph_query_options';

function endingOf(kind: Kind, e: SubgraphEnding | null | undefined, field: string): FilterQuery | true | undefined {
  if (e?.filterQuery === undefined || e.filterQuery === null) return undefined;
  return parseWhere(kind, e.filterQuery, `${field}.filter_query`) ?? true;
}

/** The query checked as MLMD checks it, filters parsed (a malformed one is INVALID_ARGUMENT naming its field and column). */
export function validateSubgraphQuery(q: LineageSubgraphQuery): ValidQuery {
  const mask = new Set<string>(q.readMask && q.readMask.length > 0 ? q.readMask : LINEAGE_GRAPH_FIELDS);
  let from: Kind;
  let text: string | null | undefined;
  if (q.startingArtifacts) {
    from = 'ARTIFACT';
    text = q.startingArtifacts.filterQuery;
  } else if (q.startingExecutions) {
    from = 'EXECUTION';
    text = q.startingExecutions.filterQuery;
  } else {
    throw new InvalidArgumentError(`${OPTIONS}: give starting_artifacts or starting_executions, the nodes to start the walk from`, OPTIONS);
  }
  const startField = `${OPTIONS}.starting_${from === 'ARTIFACT' ? 'artifacts' : 'executions'}.filter_query`;
  const start = parseWhere(from, text, startField);
  if (start === undefined) throw new InvalidArgumentError(`${startField} is required: it picks the starting nodes`, startField);
  let maxHops = SUBGRAPH_MAX_HOPS;
  if (q.maxNumHops !== undefined && q.maxNumHops !== null) {
    if (!Number.isInteger(q.maxNumHops) || q.maxNumHops < 0) {
      throw new InvalidArgumentError(`${OPTIONS}.max_num_hops cannot be negative, got ${q.maxNumHops}`, `${OPTIONS}.max_num_hops`);
    }
    maxHops = Math.min(q.maxNumHops, SUBGRAPH_MAX_HOPS);
  }
  const ending: ValidQuery['ending'] = {};
  const a = endingOf('ARTIFACT', q.endingArtifacts, `${OPTIONS}.ending_artifacts`);
  const x = endingOf('EXECUTION', q.endingExecutions, `${OPTIONS}.ending_executions`);
  if (a !== undefined) ending.ARTIFACT = a;
  if (x !== undefined) ending.EXECUTION = x;
  return {
    from, start, maxHops, direction: q.direction ?? 'DIRECTION_UNSPECIFIED', ending, mask,
    include: { ARTIFACT: q.endingArtifacts?.includeEndingNodes === true, EXECUTION: q.endingExecutions?.includeEndingNodes === true },
  };
}

/** `filter` narrowed to the nodes whose ML Metadata id is one of `mlmdIds` (the filter language's own `id IN`). */
function withinIds(filter: FilterQuery, mlmdIds: readonly number[]): FilterQuery {
  return {
    joins: filter.joins,
    expr: { op: 'and', args: [filter.expr, { op: 'in', operand: { on: 'node', field: 'id' }, values: [...mlmdIds], negated: false }] },
  };
}

/** Runs a validated query in one read transaction. */
export async function lineageSubgraphInTx(tx: StoreTx, q: ValidQuery, deadline: Deadline): Promise<LineageSubgraph> {
  const records = new Map<string, NodeRecord>();
  const remember = (nodes: readonly (NodeRecord | null)[]): void => {
    for (const n of nodes) if (n) records.set(n.id, n);
  };
  const readRecords = async (ids: readonly string[]): Promise<void> => {
    const missing = ids.filter((id) => !records.has(id));
    if (missing.length > 0) remember(await tx.getNodes(missing));
  };

  /** Which of `candidates` (server ids of `kind`) the ending filter of `kind` marks (MLMD's FindEndingNodeIdsIfExists). */
  const endingAmong = async (kind: Kind, candidates: ReadonlySet<string>): Promise<Set<string>> => {
    const filter = q.ending[kind];
    if (filter === undefined || candidates.size === 0) return new Set();
    if (filter === true) return new Set(candidates);
    await readRecords([...candidates]);
    const mlmdIds = [...candidates].map((id) => records.get(id)!.mlmdId);
    const found = await tx.listNodes({ kind, where: withinIds(filter, mlmdIds), orderBy: 'id', ascending: true, limit: mlmdIds.length });
    remember(found);
    return new Set(found.map((n) => n.id));
  };

  // The starting nodes: the first 101 by ML Metadata id. The store orders by server id,
  // which is time-ordered (uuidv7) as ML Metadata ids are allocated, so the first 101 by
  // it are the first 101 by ML Metadata id; sorted again to be sure of their order.
  const started = await tx.listNodes({ kind: q.from, where: q.start, orderBy: 'id', ascending: true, limit: SUBGRAPH_STARTING_NODES });
  if (started.length === 0) throw new NotFoundError(`no ${q.from.toLowerCase()} matches the starting filter_query: nothing to start the walk from`, `${OPTIONS}.starting_nodes`);
  remember(started);
  started.sort((a, b) => a.mlmdId - b.mlmdId);

  const visited: Record<Kind, Set<string>> = { ARTIFACT: new Set(), EXECUTION: new Set() };
  const ending: Record<Kind, Set<string>> = { ARTIFACT: new Set(), EXECUTION: new Set() };
  const startIds = new Set(started.map((n) => n.id));
  ending[q.from] = await endingAmong(q.from, startIds);
  let frontier = [...startIds].filter((id) => !ending[q.from].has(id));
  for (const id of frontier) visited[q.from].add(id);
  const events: EventRecord[] = [];

  for (let hop = 0; hop < q.maxHops; hop++) {
    deadline.check();
    const fromArtifacts = (q.from === 'ARTIFACT') === (hop % 2 === 0);
    const to: Kind = fromArtifacts ? 'EXECUTION' : 'ARTIFACT';
    const lists = frontier.length === 0 ? [] : fromArtifacts ? await tx.eventsByArtifacts(frontier) : await tx.eventsByExecutions(frontier);
    const crossed = lists.flat().filter((e) => crossable(q.direction, fromArtifacts, e.type));
    const far = (e: EventRecord): string => (fromArtifacts ? e.executionId : e.artifactId);
    const fresh = new Set<string>();
    for (const e of crossed) if (!visited[to].has(far(e)) && !ending[to].has(far(e))) fresh.add(far(e));
    for (const id of await endingAmong(to, fresh)) {
      ending[to].add(id);
      fresh.delete(id);
    }
    const directional = q.direction === 'UPSTREAM' || q.direction === 'DOWNSTREAM';
    for (const e of crossed) {
      const id = far(e);
      if (fresh.has(id) || (ending[to].has(id) ? q.include[to] : directional)) events.push(e);
    }
    for (const id of fresh) visited[to].add(id);
    frontier = [...fresh];
    if (frontier.length === 0) break;
  }

  const artifactIds = [...visited.ARTIFACT, ...(q.include.ARTIFACT ? ending.ARTIFACT : [])];
  const executionIds = [...visited.EXECUTION, ...(q.include.EXECUTION ? ending.EXECUTION : [])];
  const nodeIds = [...artifactIds, ...executionIds];
  // The records give the ML Metadata ids of every node named, events' ends included.
  await readRecords([...nodeIds, ...events.flatMap((e) => [e.artifactId, e.executionId])]);
  const answer: LineageSubgraph = { mlmdIdOf: new Map() };
  const has = (field: string): boolean => q.mask.has(field);
  if (has('artifacts')) answer.artifacts = artifactIds.map((id) => records.get(id)!);
  if (has('executions')) answer.executions = executionIds.map((id) => records.get(id)!);
  if (has('events')) answer.events = events;
  if (has('contexts')) answer.contexts = nodeIds.length === 0 ? [] : await tx.contextsOfAny(nodeIds);
  if (has('attributions')) {
    const lists = artifactIds.length === 0 ? [] : await tx.contextsOfNodes(artifactIds);
    answer.attributions = lists.flatMap((cs, i) => cs.map((c) => ({ contextId: c.id, artifactId: artifactIds[i]! })));
    remember(lists.flat());
  }
  if (has('associations')) {
    const lists = executionIds.length === 0 ? [] : await tx.contextsOfNodes(executionIds);
    answer.associations = lists.flatMap((cs, i) => cs.map((c) => ({ contextId: c.id, executionId: executionIds[i]! })));
    remember(lists.flat());
  }
  remember(answer.contexts ?? []);
  if (has('artifact_types')) answer.artifactTypes = await tx.listTypes('ARTIFACT_TYPE');
  if (has('execution_types')) answer.executionTypes = await tx.listTypes('EXECUTION_TYPE');
  if (has('context_types')) answer.contextTypes = await tx.listTypes('CONTEXT_TYPE');
  answer.mlmdIdOf = new Map([...records.values()].map((n) => [n.id, n.mlmdId]));
  return answer;
}
