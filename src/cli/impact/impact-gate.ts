/**
 * The CI gate of `journey impact --fail-if-affected X ...`: which flags the impact reaches,
 * and which affected node trips each.
 *
 * What a flag names, precisely:
 * - a TYPE: `Name` or `Name@version`, an artifact or execution type. It is reached when an
 *   affected node (distance 1 or more) is of that type: any version for `Name`, that one
 *   for `Name@version`. The report's countsByType lists every affected type whatever the
 *   page size, so the answer is exact even when the lists are cut.
 * - a CONTEXT: by id, by mlmdId or as `Type/name[@version]`. It is reached when an
 *   affected node belongs to it (an attribution or association), i.e. when it is among the
 *   report's contexts. A context that only a start node belongs to is not reached: the
 *   start nodes are what changes, not what the change affects.
 * A flag can name both (a type called `Pipeline/taxi` and the context taxi of type
 * Pipeline): it is reached when either is. A flag that names neither an existing type nor
 * an existing context is a usage error, never a silent pass: a misspelt gate in a CI job
 * would otherwise pass every change forever. For the same reason the gate fails closed on
 * a walk the server cut short at its own ceilings (gateFailsClosed).
 */

/** One flag as the caller wrote it, with what it was found to name. */
export interface GateTarget {
  /** The flag's value, as written. */
  flag: string;
  /** The type part, when it names an artifact or execution type that exists. */
  type: { name: string; version: string | null } | null;
  /** The context it names, when it names one that exists. */
  context: { id: string; name: string; typeName: string } | null;
}

/** The parts of an impact answer the gate reads. */
export interface GateNode {
  id: string;
  kind: 'ARTIFACT' | 'EXECUTION';
  distance: number;
  artifact?: { name?: string | null; type: { name: string; version?: string | null } } | null;
  execution?: { name?: string | null; type: { name: string; version?: string | null } } | null;
}
export interface GateReport {
  countsByType: readonly { kind: 'ARTIFACT' | 'EXECUTION'; typeName: string; typeVersion?: string | null; count: number }[];
  /** Every page of affected nodes the command fetched (models, artifacts, executions). */
  nodes: readonly GateNode[];
  /** Every context holding affected nodes (all pages). */
  contexts: readonly { artifactCount: number; executionCount: number; context: { id: string } }[];
}

/** One reason the gate failed: a flag and what reached it. */
export interface GateTrip {
  flag: string;
  /** The one line said on stderr for it (names are quoted; see quoteForTerminal). */
  line: string;
}

/** A flag's value split as a type reference: `Name@version` when the part after the last @ is not empty. */
export function splitTypeReference(flag: string): { name: string; version: string | null } {
  const at = flag.lastIndexOf('@');
  return at > 0 && at < flag.length - 1 ? { name: flag.slice(0, at), version: flag.slice(at + 1) } : { name: flag, version: null };
}

/**
 * Which of `types` (every artifact and execution type of the store) `flag` names: its whole
 * text as a name of any version, or `Name@version` for one version. Both readings are tried
 * since a type name may itself hold an @.
 */
export function typeNamedBy(flag: string, types: readonly { name: string; version?: string | null }[]): GateTarget['type'] {
  if (types.some((t) => t.name === flag)) return { name: flag, version: null };
  const split = splitTypeReference(flag);
  if (split.version !== null && types.some((t) => t.name === split.name && (t.version ?? null) === split.version)) return split;
  return null;
}

/** Writes text for one line of a terminal or a CI log: JSON-quoted, with C1 controls, bidi overrides and line separators escaped too. */
export function quoteForTerminal(text: string): string {
  return JSON.stringify(text).replace(/[\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

const nodeLabel = (n: GateNode): string => {
  const item = n.artifact ?? n.execution;
  const name = item?.name ?? null;
  return `${n.kind.toLowerCase()} ${quoteForTerminal(`${item?.type.name ?? '?'}/${name ?? n.id}`)} (id ${n.id}, ${n.distance} ${n.distance === 1 ? 'hop' : 'hops'})`;
};

const plural = (count: number, word: string): string => `${count} ${word}${count === 1 ? '' : 's'}`;

/**
 * The trips of `targets` on `report`, in flag order: for a type, one line per affected
 * node of it that the fetched lists hold (each node once), then one line saying how many
 * more there are; for a context, one line naming it and what it holds. Empty: the gate passes.
 */
export function gateTrips(report: GateReport, targets: readonly GateTarget[]): GateTrip[] {
  const trips: GateTrip[] = [];
  for (const target of targets) {
    const say = (line: string): void => { trips.push({ flag: target.flag, line: `--fail-if-affected ${quoteForTerminal(target.flag)}: ${line}` }); };
    if (target.type) {
      const { name, version } = target.type;
      const ofType = (t: { name: string; version?: string | null }): boolean => t.name === name && (version === null || (t.version ?? null) === version);
      const affected = report.countsByType.filter((c) => ofType({ name: c.typeName, version: c.typeVersion ?? null }))
        .reduce((sum, c) => sum + c.count, 0);
      const seen = new Set<string>();
      for (const n of report.nodes) {
        const item = n.artifact ?? n.execution;
        if (!item || !ofType(item.type) || seen.has(n.id)) continue;
        seen.add(n.id);
        say(`${nodeLabel(n)} is affected`);
      }
      const unlisted = affected - seen.size;
      if (unlisted > 0 && seen.size === 0) say(`${plural(unlisted, 'affected node')} of type ${quoteForTerminal(name)} (none listed)`);
      else if (unlisted > 0) say(`and ${unlisted} more affected node${unlisted === 1 ? '' : 's'} of type ${quoteForTerminal(name)} not listed`);
    }
    if (target.context) {
      const { id, name, typeName } = target.context;
      const held = report.contexts.find((c) => c.context.id === id);
      if (held) {
        say(`context ${quoteForTerminal(`${typeName}/${name}`)} (id ${id}) holds ${plural(held.artifactCount, 'affected artifact')} and ${plural(held.executionCount, 'affected execution')}`);
      }
    }
  }
  return trips;
}

/** The usage error for flags that name nothing, or null when every flag names something. */
export function unknownGateTargets(targets: readonly GateTarget[]): string | null {
  const unknown = targets.filter((t) => t.type === null && t.context === null).map((t) => quoteForTerminal(t.flag));
  if (unknown.length === 0) return null;
  return `--fail-if-affected ${unknown.join(', ')}: ${unknown.length === 1 ? 'names' : 'name'} no artifact type, execution type or context (a type is Name or Name@version, a context an id, an mlmdId or Type/name)`;
}

/**
 * Whether a gate that nothing tripped must still fail: when the walk was truncated and the
 * caller gave no --hops, the server's own ceiling (hops or nodes) cut it, and what lies
 * beyond may be what a flag names; a gate must not pass an answer it cannot see whole.
 * With --hops the caller asked for "within N hops", and that answer is whole.
 */
export function gateFailsClosed(trips: readonly GateTrip[], truncated: boolean, hopsGiven: boolean): boolean {
  return trips.length === 0 && truncated && !hopsGiven;
}
