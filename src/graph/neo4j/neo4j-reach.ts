/**
 * The answer of the lineage statements (cypher/lineage/*-reach and *-steps, and the
 * personal-data reach) as the seam's LineageReach and LineageSteps, and the reach
 * statements' hop bound.
 *
 * The statements answer in one row of few values, since the driver decodes every value
 * (text most dearly) and every row one by one: nodes travel as their signed mlmdIds (an
 * execution's negated: ids are unique within a kind only, and a lineage answer holds
 * artifacts and executions, never contexts), event types
 * as indices into the list of event types sent, empty paths as 0, and each node met is
 * named (id, type id, kind) once, grouped under its type. Here those become the seam's
 * shapes, which speak ids.
 */
import { InvalidArgumentError } from '../errors.js';
import { MAX_REACH_RADIUS, type LineageReach, type LineageStep } from '../graph-tx.js';
import type { EventType, PathStep } from '../model.js';
import type { Row } from './neo4j-executor.js';

/** What a step needs to know of a node at either end. */
interface NodeName { id: string; typeId: string; artifact: boolean }

/** A path as stored (JSON text), 0 standing for the empty one. */
const pathOf = (stored: string | 0): PathStep[] => (stored === 0 ? [] : JSON.parse(stored) as PathStep[]);

/**
 * A reach statement with its hop bound written in: Cypher takes no parameter there, so
 * the bound is checked to be an integer in range before it becomes text.
 */
export function reachStatement(template: string, radius: number): string {
  if (!Number.isSafeInteger(radius) || radius < 0 || radius > MAX_REACH_RADIUS) {
    throw new InvalidArgumentError(`radius must be an integer from 0 to ${MAX_REACH_RADIUS}`, 'radius');
  }
  return template.replace('RADIUS', String(radius));
}

/** The names of the nodes a lineage row met, by signed mlmdId (an execution's negated). */
function namesOf(row: Row): Map<number, NodeName> {
  const names = new Map<number, NodeName>();
  const typeIds = row.typeIds as string[];
  const artifacts = row.artifacts as boolean[];
  const ids = row.nodeIds as string[][];
  (row.nodeMlmdIds as number[][]).forEach((mlmdIds, group) => {
    const typeId = typeIds[group]!;
    const artifact = artifacts[group]!;
    const groupIds = ids[group]!;
    for (let i = 0; i < mlmdIds.length; i += 1) names.set(artifact ? mlmdIds[i]! : -mlmdIds[i]!, { id: groupIds[i]!, typeId, artifact });
  });
  return names;
}

/**
 * The lineage row of a statement sent `eventTypes` as its $eventTypes, as a LineageReach:
 * `expanded` names every node the row gave steps for (none, for a node without any), and
 * `holding` the met nodes of a `holding` column, when the statement has one.
 */
export function reachFromRow(row: Row | undefined, eventTypes: readonly EventType[]): LineageReach & { holding: string[] } {
  if (row === undefined) return { expanded: [], steps: [], holding: [] };
  const names = namesOf(row);
  const name = (signed: number): NodeName => {
    const found = names.get(signed);
    if (found === undefined) throw new Error(`a lineage answer did not name node ${signed}`);
    return found;
  };
  const frontier = row.frontier as number[];
  const neighborIds = row.neighborIds as number[][];
  const types = row.types as number[][];
  const times = row.times as number[][];
  const paths = row.paths as (string | 0)[][];
  const expanded: string[] = [];
  const steps: LineageStep[] = [];
  frontier.forEach((mlmdId, f) => {
    const from = name(mlmdId);
    expanded.push(from.id);
    const neighbors = neighborIds[f]!;
    for (let i = 0; i < neighbors.length; i += 1) {
      const to = name(neighbors[i]!);
      steps.push({
        event: {
          artifactId: to.artifact ? to.id : from.id,
          executionId: to.artifact ? from.id : to.id,
          type: eventTypes[types[f]![i]!]!,
          path: pathOf(paths[f]![i]!),
          time: times[f]![i]!,
        },
        neighborId: to.id,
        neighborKind: to.artifact ? 'ARTIFACT' : 'EXECUTION',
        neighborTypeId: to.typeId,
      });
    }
  });
  const holding = ((row.holding ?? []) as number[]).map((mlmdId) => name(mlmdId).id);
  return { expanded, steps, holding };
}
