/**
 * How personal data propagates along the data flow: a monotone data-flow analysis over a
 * walked subgraph, computed without a store.
 *
 * The facts at an artifact are a set of (category, clear | pseudonymised) pairs. Seeds
 * hold their facts with a route that brought them (a declaring artifact holds its declared
 * categories in clear, on the route of itself alone; an artifact on the edge of the
 * subgraph holds what is stored for it); an execution maps the union of its inputs' facts
 * to its outputs' through its transform (`transfer`). The lattice is finite (two facts
 * per category per artifact) and every step only adds facts, so the search terminates on
 * cycles, and its fixpoint depends on the graph alone, not on the order in which the graph
 * was written.
 *
 * Each fact keeps one route as its evidence: the shortest, and of the shortest the first
 * in the order of its ids (compared from the source end). That choice is canonical, so
 * the status stored for an artifact at write time (derived-status.ts) is the one a search
 * of its whole ancestry would find, and a search that starts from stored facts on the edge
 * of a subgraph finds the same routes as one that starts from the declaring artifacts. The
 * search runs by depth; within a depth, each key's candidates come in route order because
 * their parents did and each parent's steps are taken in id order, so the first candidate
 * of a fact wins. Seeds deeper than 0 are merged into their depth, per key, in route order.
 */
import type { PersonalDataDeclaration, PrivacyDeclaration, SpecialCategory } from '../../graph/model.js';
import { SPECIAL_CATEGORIES } from '../../graph/model.js';
import type { FlowGraph } from './data-flow-walk.js';
import { compareText } from '../shared/compare-text.js';

/** A category or a special category, as one key: `c:<name>` or `s:<SPECIAL_CATEGORY>`. */
export type CategoryKey = string;

/** The key of a (free-named) category. */
export const categoryKey = (name: string): CategoryKey => `c:${name}`;
/** The key of a special category. */
export const specialCategoryKey = (name: SpecialCategory): CategoryKey => `s:${name}`;

/** The keys a declaration names. */
export function keysOf(declaration: PersonalDataDeclaration | null | undefined): CategoryKey[] {
  if (!declaration) return [];
  return [...declaration.categories.map(categoryKey), ...declaration.specialCategories.map(specialCategoryKey)];
}

const SPECIAL = new Set<string>(SPECIAL_CATEGORIES);

/** A key back as the category or special category it stands for. */
export function categoryOfKey(key: CategoryKey): { category: string | null; specialCategory: SpecialCategory | null } {
  const name = key.slice(2);
  return key.startsWith('s:') && SPECIAL.has(name)
    ? { category: null, specialCategory: name as SpecialCategory }
    : { category: name, specialCategory: null };
}

/** True when the transform lets nothing through: ANONYMIZE, or AGGREGATE with k of at least `minK`. */
export function blocksEverything(privacy: PrivacyDeclaration | null, minK: number): boolean {
  if (privacy === null) return false;
  return privacy.transform === 'ANONYMIZE' || (privacy.transform === 'AGGREGATE' && (privacy.k ?? 0) >= minK);
}

/** Whether a DROP names the key (without building the declaration's key list on every call: this runs per fact and step). */
function dropsKey(privacy: PrivacyDeclaration, key: CategoryKey): boolean {
  const name = key.slice(2);
  return key.startsWith('s:') ? (privacy.specialCategories as string[]).includes(name) : privacy.categories.includes(name);
}

/**
 * What an execution's outputs hold of one input fact: null when the key does not pass,
 * else whether it is still clear. NONE and small-k AGGREGATE pass it as it is,
 * PSEUDONYMIZE passes it pseudonymised, DROP removes the keys it names.
 */
export function transfer(privacy: PrivacyDeclaration | null, key: CategoryKey, clear: boolean, minK: number): boolean | null {
  if (privacy === null) return clear;
  switch (privacy.transform) {
    case 'NONE': return clear;
    case 'PSEUDONYMIZE': return false;
    case 'ANONYMIZE': return null;
    case 'DROP': return dropsKey(privacy, key) ? null : clear;
    case 'AGGREGATE': return (privacy.k ?? 0) >= minK ? null : clear;
  }
}

/** A fact a search starts from. */
export interface SeedFact {
  key: CategoryKey;
  clear: boolean;
  /** Artifact and execution ids from a declaring artifact to the seed (the seed alone for a declaration). */
  route: readonly string[];
}

/** The route a fact was first derived on; a search starts from seeds on fixed routes. */
interface Witness {
  at: string;
  /** The execution of the last step; null for a seed. */
  via: string | null;
  prev: Witness | null;
  /** A seed's whole route; null for a derived fact. */
  base: readonly string[] | null;
  /** Events on the route. */
  depth: number;
}

/** The first witness of each of a key's two facts at one artifact; null while not held. */
interface Held {
  clear: Witness | null;
  pseudonymised: Witness | null;
}

/** One category an artifact holds, and the evidence for how. */
export interface CarriedKey {
  key: CategoryKey;
  /** Every route that brings it passes a PSEUDONYMIZE step. */
  pseudonymised: boolean;
  /** Events on `route`. */
  depth: number;
}

/** Both facts of one key at an artifact, each with its route; null where not held. */
export interface KeyFacts {
  key: CategoryKey;
  clear: readonly string[] | null;
  pseudonymised: readonly string[] | null;
}


function routeOf(witness: Witness): string[] {
  const tail: string[] = [];
  let w = witness;
  for (; w.prev !== null; w = w.prev) tail.push(w.at, w.via!);
  return [...(w.base ?? [w.at]), ...tail.reverse()];
}

function compareRoutes(a: readonly string[], b: readonly string[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i += 1) if (a[i] !== b[i]) return compareText(a[i]!, b[i]!);
  return a.length - b.length;
}

type Candidate = [artifact: string, key: CategoryKey, clear: boolean, witness: Witness];

/** The fixpoint over one subgraph: what each artifact holds, with a canonical shortest route per fact. */
export class Propagation {
  /** artifact -> key -> the witnesses of its clear and pseudonymised facts. */
  private readonly facts = new Map<string, Map<CategoryKey, Held>>();

  /** Runs the analysis over `graph` from `seeds` (artifact -> its seed facts), with AGGREGATE blocking from `minK`. */
  constructor(graph: FlowGraph, seeds: ReadonlyMap<string, readonly SeedFact[]>, minK: number) {
    const consumersOf = new Map<string, string[]>();
    for (const [x, inputs] of graph.inputsOf) for (const a of inputs) push(consumersOf, a, x);
    for (const list of consumersOf.values()) list.sort(compareText);
    const outputsOf = new Map([...graph.outputsOf].map(([x, set]) => [x, [...set].sort(compareText)]));
    const seedsAt = seedsByDepth(seeds);

    // Derived candidates only ever go 2 deeper than their parent, so two lists suffice
    // besides the seeds: the depth being searched and the next one.
    let depth = Math.min(...seedsAt.keys());
    let current: Candidate[] = [];
    let next: Candidate[] = [];
    while (Number.isFinite(depth)) {
      const seeded = seedsAt.get(depth);
      if (seeded) {
        seedsAt.delete(depth);
        current = current.length === 0 ? seeded : mergeByRoute(current, seeded);
      }
      for (const candidate of current) {
        if (!this.hold(candidate)) continue;
        const [from, key, clear, witness] = candidate;
        for (const via of consumersOf.get(from) ?? []) {
          const passed = transfer(graph.privacyOf.get(via) ?? null, key, clear, minK);
          if (passed === null) continue;
          for (const to of outputsOf.get(via) ?? []) {
            if (!this.holds(to, key, passed)) next.push([to, key, passed, { at: to, via, prev: witness, base: null, depth: depth + 2 }]);
          }
        }
      }
      // Routes alternate artifact and execution, so every depth is even and a seed not yet
      // merged lies at least 2 deeper: the derived candidates' depth, or past it.
      const nearestSeed = seedsAt.size === 0 ? Infinity : Math.min(...seedsAt.keys());
      [current, next] = [next, []];
      depth = current.length > 0 ? depth + 2 : nearestSeed;
    }
  }

  /** Takes the candidate's fact as held unless an earlier candidate was; returns whether it was new. */
  private hold([artifact, key, clear, witness]: Candidate): boolean {
    let byKey = this.facts.get(artifact);
    if (!byKey) this.facts.set(artifact, (byKey = new Map()));
    let held = byKey.get(key);
    if (!held) byKey.set(key, (held = { clear: null, pseudonymised: null }));
    if (clear ? held.clear : held.pseudonymised) return false;
    if (clear) held.clear = witness;
    else held.pseudonymised = witness;
    return true;
  }

  private holds(artifact: string, key: CategoryKey, clear: boolean): boolean {
    const held = this.facts.get(artifact)?.get(key);
    return held !== undefined && (clear ? held.clear : held.pseudonymised) !== null;
  }

  /** Artifacts holding at least one category, by id. */
  artifacts(): string[] {
    return [...this.facts.keys()].sort(compareText);
  }

  /** What the artifact holds, by key; [] when nothing. */
  carried(artifact: string): CarriedKey[] {
    const byKey = this.facts.get(artifact);
    if (!byKey) return [];
    return [...byKey.keys()].sort(compareText).map((key) => {
      const held = byKey.get(key)!;
      return { key, pseudonymised: held.clear === null, depth: (held.clear ?? held.pseudonymised)!.depth };
    });
  }

  /** Both facts of every key the artifact holds, with their routes, by key. */
  keyFacts(artifact: string): KeyFacts[] {
    const byKey = this.facts.get(artifact);
    if (!byKey) return [];
    return [...byKey.keys()].sort(compareText).map((key) => {
      const held = byKey.get(key)!;
      return {
        key,
        clear: held.clear && routeOf(held.clear),
        pseudonymised: held.pseudonymised && routeOf(held.pseudonymised),
      };
    });
  }

  /** The route of the artifact's fact for `key` (its final status): artifact and execution ids from a declaring artifact to it. */
  route(artifact: string, key: CategoryKey): string[] {
    const held = this.facts.get(artifact)?.get(key);
    return held ? routeOf((held.clear ?? held.pseudonymised)!) : [];
  }
}

/** The seeds as candidates by depth, each depth in route order (then key, for a stable order of equal routes). */
function seedsByDepth(seeds: ReadonlyMap<string, readonly SeedFact[]>): Map<number, Candidate[]> {
  const seedsAt = new Map<number, Candidate[]>();
  for (const [artifact, list] of seeds) {
    for (const s of list) {
      const depth = s.route.length - 1;
      push(seedsAt, depth, [artifact, s.key, s.clear, { at: artifact, via: null, prev: null, base: s.route, depth }]);
    }
  }
  for (const list of seedsAt.values()) {
    list.sort((a, b) => compareRoutes(a[3].base!, b[3].base!) || compareText(a[1], b[1]) || Number(b[2]) - Number(a[2]));
  }
  return seedsAt;
}

/**
 * Two candidate lists of one depth as one. Keys propagate independently, so what must hold
 * is that each key's candidates come in route order; a list is kept in that order (a
 * parent's children follow it), not in route order across keys, so the merge is per key.
 */
function mergeByRoute(a: Candidate[], b: Candidate[]): Candidate[] {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  const byKey = new Map<CategoryKey, [Candidate[], Candidate[]]>();
  const side = (key: CategoryKey): [Candidate[], Candidate[]] => {
    let lists = byKey.get(key);
    if (!lists) byKey.set(key, (lists = [[], []]));
    return lists;
  };
  for (const c of a) side(c[1])[0].push(c);
  for (const c of b) side(c[1])[1].push(c);
  const out: Candidate[] = [];
  for (const [x, y] of byKey.values()) {
    const routeX = x.map((c) => routeOf(c[3]));
    const routeY = y.map((c) => routeOf(c[3]));
    let i = 0;
    let j = 0;
    while (i < x.length || j < y.length) {
      if (j >= y.length || (i < x.length && compareRoutes(routeX[i]!, routeY[j]!) <= 0)) out.push(x[i++]!);
      else out.push(y[j++]!);
    }
  }
  return out;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
