/**
 * How what several events say about one node becomes its custom properties, the same
 * whatever order the events arrive in (OpenLineage clients retry, and transports reorder).
 * Each property keeps the value of the highest-ranked event that gave it: rank is
 * (priority, eventTime), ties broken by the value's canonical JSON text, a total order,
 * so the result is a maximum and cannot depend on the order. The rank each property
 * holds is kept on the node itself, in the custom property RANKS_PROPERTY, so a later
 * request compares against it. Priority says whose word counts: the run that wrote a
 * dataset version outranks a run that only read it, whatever their times.
 */
import type { ExecutionState as ExecutionStateName, JsonValue, PropertyMap, PropertyValue } from '../../graph/model.js';

/** The custom property holding, per merged property, the [priority, eventTime] of the value it holds. */
export const RANKS_PROPERTY = 'openlineage:ranks';

export type Rank = readonly [priority: number, time: number];

/** Priority of what a run says of itself, its job, and the versions it wrote. */
export const OWN = 1;
/** Priority of what a reader says of a dataset version. */
export const READER = 0;

function canonicalText(value: unknown): string {
  const canonical = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(canonical);
    if (v !== null && typeof v === 'object') {
      return Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical((v as Record<string, unknown>)[k])]));
    }
    return v;
  };
  return JSON.stringify(canonical(value));
}

/** The rank `props` holds for property `name`, if any. */
export function rankOf(props: PropertyMap, name: string): Rank | undefined {
  const ranks = props[RANKS_PROPERTY];
  const r = ranks !== undefined && typeof ranks === 'object' && !Array.isArray(ranks) ? (ranks as Record<string, JsonValue>)[name] : undefined;
  return Array.isArray(r) && r.length === 2 && typeof r[0] === 'number' && typeof r[1] === 'number' ? [r[0], r[1]] : undefined;
}

/** True when (rank a, value a) comes after (rank b, value b). */
function outranks(a: Rank, va: unknown, b: Rank | undefined, vb: unknown): boolean {
  if (b === undefined) return true;
  if (a[0] !== b[0]) return a[0] > b[0];
  if (a[1] !== b[1]) return a[1] > b[1];
  return canonicalText(va) > canonicalText(vb);
}

/** `props` with each of `incoming` merged in at `rank`; the same object when nothing changes. */
export function mergeRanked(props: PropertyMap, incoming: Readonly<Record<string, PropertyValue>>, rank: Rank): PropertyMap {
  let out: PropertyMap | undefined;
  let ranks: Record<string, JsonValue> | undefined;
  for (const [name, value] of Object.entries(incoming)) {
    const current = (out ?? props)[name];
    const held = rankOf(out ?? props, name);
    if (current !== undefined && held !== undefined && canonicalText(current) === canonicalText(value) && held[0] === rank[0] && held[1] === rank[1]) continue;
    if (current !== undefined && !outranks(rank, value, held, current)) continue;
    out ??= { ...props };
    ranks ??= { ...((props[RANKS_PROPERTY] as Record<string, JsonValue> | undefined) ?? {}) };
    out[name] = value;
    ranks[name] = [rank[0], rank[1]];
    out[RANKS_PROPERTY] = ranks;
  }
  return out ?? props;
}

/** `props` with the integer property `name` lowered to `value` when it is absent or larger (the earliest time wins). */
export function mergeEarliest(props: PropertyMap, name: string, value: number): PropertyMap {
  const current = props[name];
  if (typeof current === 'number' && current <= value) return props;
  return { ...props, [name]: value };
}

/** The key under RANKS_PROPERTY of a run's state. */
const STATE_KEY = 'lastKnownState';

/**
 * A run's state after an event that moves it to `incoming` at `rank` ([progress, eventTime]):
 * the further along wins (an end over RUNNING), then the later, then the name; its rank
 * is kept under RANKS_PROPERTY like a property's.
 */
export function mergeState(props: PropertyMap, current: string, incoming: string, rank: Rank): { props: PropertyMap; state: ExecutionStateName } {
  const scratch: PropertyMap = { [STATE_KEY]: current };
  if (props[RANKS_PROPERTY] !== undefined) scratch[RANKS_PROPERTY] = props[RANKS_PROPERTY];
  const merged = mergeRanked(scratch, { [STATE_KEY]: incoming }, rank);
  if (merged === scratch) return { props, state: current as ExecutionStateName };
  return { props: { ...props, [RANKS_PROPERTY]: merged[RANKS_PROPERTY]! }, state: merged[STATE_KEY] as ExecutionStateName };
}
