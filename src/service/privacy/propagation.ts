/**
 * How personal data propagates along the data flow: a monotone data-flow analysis over a
 * walked subgraph, computed without a store.
 *
 * The facts at an artifact are a set of (category, clear | pseudonymised) pairs. Seeds
 * hold their declared categories in clear; an execution maps the union of its inputs'
 * facts to its outputs' through its transform (`transfer`). The lattice is finite (two
 * facts per category per artifact) and every step only adds facts, so the worklist
 * terminates on cycles, and its fixpoint depends on the graph alone, not on the order
 * in which the graph was written.
 *
 * The worklist is first-in first-out over ids in sorted order, which makes it a
 * breadth-first search of the (artifact, category, clear?) states: each fact is first
 * derived along a shortest route, and that route is kept as its evidence. An artifact is
 * pseudonymised for a category when it holds only the pseudonymised fact: one clear route
 * makes it clear.
 */
import type { PersonalDataDeclaration, PrivacyDeclaration, SpecialCategory } from '../../graph/model.js';
import { SPECIAL_CATEGORIES } from '../../graph/model.js';
import type { FlowGraph } from './data-flow-walk.js';

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

/**
 * How a fact was first derived: from `from`'s fact `prev` through execution `via`; all
 * null for a seed. Linked to the fact it came from, so a route is read back without a
 * lookup per step.
 */
interface Witness {
  from: string | null;
  via: string | null;
  prev: Witness | null;
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
  pseudonymized: boolean;
  /** Events on `route`. */
  depth: number;
}

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The fixpoint over one subgraph: what each artifact holds, with a shortest route per category. */
export class Propagation {
  /** artifact -> key -> the witnesses of its clear and pseudonymised facts. */
  private readonly facts = new Map<string, Map<CategoryKey, Held>>();
  private readonly producersOf = new Map<string, string[]>();

  /**
   * Runs the analysis over `graph` from `seeds` (artifact -> key -> clear?), with
   * AGGREGATE blocking from `minK`.
   */
  constructor(
    private readonly graph: FlowGraph,
    private readonly seeds: ReadonlyMap<string, ReadonlyMap<CategoryKey, boolean>>,
    private readonly minK: number,
  ) {
    const consumersOf = new Map<string, string[]>();
    for (const [x, inputs] of graph.inputsOf) for (const a of inputs) push(consumersOf, a, x);
    for (const [x, outputs] of graph.outputsOf) for (const a of outputs) push(this.producersOf, a, x);
    for (const list of consumersOf.values()) list.sort(compareText);
    const outputsOf = new Map([...graph.outputsOf].map(([x, set]) => [x, [...set].sort(compareText)]));

    const queue: [string, CategoryKey, boolean, Witness][] = [];
    const reach = (artifact: string, key: CategoryKey, clear: boolean, witness: Witness): void => {
      let byKey = this.facts.get(artifact);
      if (!byKey) this.facts.set(artifact, (byKey = new Map()));
      let held = byKey.get(key);
      if (!held) byKey.set(key, (held = { clear: null, pseudonymised: null }));
      if (clear) {
        if (held.clear) return;
        held.clear = witness;
      } else {
        if (held.pseudonymised) return;
        held.pseudonymised = witness;
      }
      queue.push([artifact, key, clear, witness]);
    };
    for (const artifact of [...seeds.keys()].sort(compareText)) {
      const keys = seeds.get(artifact)!;
      for (const key of [...keys.keys()].sort(compareText)) {
        reach(artifact, key, keys.get(key)!, { from: null, via: null, prev: null, depth: 0 });
      }
    }
    for (let i = 0; i < queue.length; i += 1) {
      const [from, key, clear, witness] = queue[i]!;
      const depth = witness.depth + 2;
      for (const via of consumersOf.get(from) ?? []) {
        const passed = transfer(graph.privacyOf.get(via) ?? null, key, clear, minK);
        if (passed === null) continue;
        for (const to of outputsOf.get(via) ?? []) reach(to, key, passed, { from, via, prev: witness, depth });
      }
    }
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
      return { key, pseudonymized: held.clear === null, depth: (held.clear ?? held.pseudonymised)!.depth };
    });
  }

  /** The route of the artifact's fact for `key` (its final status): artifact and execution ids from a seed to it. */
  route(artifact: string, key: CategoryKey): string[] {
    const held = this.facts.get(artifact)?.get(key);
    if (!held) return [];
    const route = [artifact];
    for (let w = (held.clear ?? held.pseudonymised)!; w.prev !== null; w = w.prev) route.push(w.via!, w.from!);
    return route.reverse();
  }

  /**
   * Every seed from which some category the artifact holds reaches it (through steps
   * that let that category pass), by id: a backward search per category it holds.
   */
  sourcesOf(artifact: string): string[] {
    const sources = new Set<string>();
    for (const { key } of this.carried(artifact)) {
      const seen = new Set([artifact]);
      const stack = [artifact];
      while (stack.length > 0) {
        const at = stack.pop()!;
        if (this.seeds.get(at)?.has(key)) sources.add(at);
        for (const via of this.producersOf.get(at) ?? []) {
          if (transfer(this.graph.privacyOf.get(via) ?? null, key, true, this.minK) === null) continue;
          for (const from of this.graph.inputsOf.get(via) ?? []) {
            if (!seen.has(from)) {
              seen.add(from);
              stack.push(from);
            }
          }
        }
      }
    }
    return [...sources].sort(compareText);
  }
}

function push(map: Map<string, string[]>, key: string, value: string): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
