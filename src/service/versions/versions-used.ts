/**
 * Restore: for an artifact, which version of each dataset every run downstream of it
 * read. The downstream set comes from the lineage service's own walk (lineage-walk.ts,
 * its arguments checked by lineage-args.ts as `lineage`'s are); then one batch read of the runs'
 * events and one description of every artifact they read (versionsUsedBy).
 */
import { InvalidArgumentError } from '../../graph/errors.js';
import type { StoreTx } from '../../graph/store.js';
import type { Deadline } from '../shared/deadline.js';
import { describe } from '../shared/validate.js';
import { requireLineageNodes, type ValidLineageQuery } from '../lineage/lineage-args.js';
import { walkLineage } from '../lineage/lineage-walk.js';
import { versionsUsedBy, type VersionUsed } from './dataset-versions.js';

/** One input of a downstream run: the version it read, and whether that artifact is the start or lies downstream of it. */
export interface RunInputUsed extends VersionUsed {
  downstreamOfStart: boolean;
}

/** A run downstream of the start, with every artifact it read (INPUT events), in event order. */
export interface RunVersionsUsed {
  runId: string;
  /** Hops from the start artifact (a run reading it directly is 1). */
  distance: number;
  inputs: RunInputUsed[];
}

export interface VersionsUsedReport {
  startId: string;
  /** By distance, then id. */
  runs: RunVersionsUsed[];
  /** Whether maxHops or maxNodes cut the walk short. */
  truncated: boolean;
}

/** Walks downstream from the validated query's one start (an artifact: INVALID_ARGUMENT on `artifact` otherwise) and reports, inside `tx`. */
export async function versionsUsedIn(tx: StoreTx, query: ValidLineageQuery, deadline: Deadline): Promise<VersionsUsedReport> {
  const [start] = await requireLineageNodes(tx, query.start, 'artifact');
  if (start!.kind !== 'ARTIFACT') {
    throw new InvalidArgumentError(`artifact must name an artifact, got the execution ${describe(start!.id)}`, 'artifact');
  }
  // The plan resolveLineageQuery would make, from the start already read (it would read it
  // again): no stop rules or type filters to resolve here.
  const walked = await walkLineage(tx, {
    start: [{ id: start!.id, kind: start!.kind, typeId: start!.typeId }], directions: query.directions,
    maxHops: query.maxHops, maxNodes: query.maxNodes, eventTypes: query.eventTypes, asOf: query.asOf, isStop: () => false, deadline,
  });
  const downstream = new Set(walked.nodes.filter((n) => n.kind === 'ARTIFACT').map((n) => n.id));
  const runs = walked.nodes.filter((n) => n.kind === 'EXECUTION');
  deadline.check();
  const events = runs.length === 0 ? [] : await tx.eventsByExecutions(runs.map((r) => r.id));
  const inputsOf = events.map((list) => [...new Set(list.filter((e) => e.type === 'INPUT').map((e) => e.artifactId))]);
  const used = await versionsUsedBy(tx, inputsOf.flat());
  return {
    startId: start!.id,
    runs: runs.map((run, i) => ({
      runId: run.id,
      distance: run.distance,
      inputs: inputsOf[i]!.flatMap((id) => {
        const u = used.get(id);
        return u ? [{ ...u, downstreamOfStart: downstream.has(id) }] : [];
      }),
    })),
    truncated: walked.truncated,
  };
}
