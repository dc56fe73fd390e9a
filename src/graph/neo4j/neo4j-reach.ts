/**
 * The rows of the lineage statements (cypher/lineage/, and the personal-data reach) as the
 * seam's LineageStep and LineageReach, and the reach statements' hop bound.
 */
import { InvalidArgumentError } from '../errors.js';
import { MAX_REACH_RADIUS, type LineageReach, type LineageStep } from '../graph-tx.js';
import type { Row } from './neo4j-executor.js';
import { eventFromRow } from './neo4j-records.js';

const text = (value: unknown): string => value as string;

/** A step from a lineage row: the frontier node, its neighbour and the event between them. */
export function stepFromRow(r: Row): LineageStep {
  const neighborIsArtifact = r.neighborIsArtifact === true;
  const frontierId = text(r.frontierId);
  const neighborId = text(r.neighborId);
  return {
    event: eventFromRow({
      ...r,
      artifactId: neighborIsArtifact ? neighborId : frontierId,
      executionId: neighborIsArtifact ? frontierId : neighborId,
    }),
    neighborId,
    neighborKind: neighborIsArtifact ? 'ARTIFACT' : 'EXECUTION',
    neighborTypeId: text(r.neighborTypeId),
  };
}

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

/** A reach statement's rows (one per expanded node, its steps as parallel lists) as a LineageReach. */
export function reachFromRows(rows: readonly Row[]): LineageReach {
  const expanded: string[] = [];
  const steps: LineageStep[] = [];
  for (const row of rows) {
    const frontierId = text(row.frontierId);
    expanded.push(frontierId);
    (row.neighborIds as string[]).forEach((neighborId, i) => {
      steps.push(stepFromRow({
        frontierId, neighborId, neighborTypeId: (row.neighborTypeIds as string[])[i],
        neighborIsArtifact: (row.neighborIsArtifact as boolean[])[i], type: (row.types as string[])[i],
        path: (row.paths as string[])[i], time: (row.times as number[])[i],
      }));
    });
  }
  return { expanded, steps };
}
