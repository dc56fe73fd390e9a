/**
 * The expected answers of the personal-data queries, computed from the generated graph in
 * memory with the rules and none of the service's code, so a fast wrong answer
 * cannot pass for a result:
 * - what every artifact holds: one pass over the steps in creation order (every input
 *   exists before its reader, so the graph is acyclic and one pass is the fixpoint), each
 *   artifact's facts a bit set of (category, clear | pseudonymised);
 * - a subject's lineage: a breadth-first walk downstream from its sources within maxHops
 *   (not entering the outputs of a step that lets nothing through, nor an artifact that
 *   holds no personal data at all), then a breadth-first
 *   search of (artifact, category, clear?) states inside what was walked, which gives each
 *   state's shortest route length.
 */
import type { PersonalDataDeclaration, PrivacyDeclaration } from '../../src/graph/model.js';
import type { BenchGraph } from '../workload/bench-graph.js';
import { artifactBaseType } from '../workload/type-bases.js';
import { BENCH_MIN_K, type PrivacyPlan } from './privacy-plan.js';

/** A category as the service names it: `c:<name>` or `s:<SPECIAL>`. */
const keysOfDeclaration = (d: PersonalDataDeclaration): string[] =>
  [...d.categories.map((c) => `c:${c}`), ...d.specialCategories.map((s) => `s:${s}`)];

/** What one artifact's status must be; null when it holds nothing. */
export interface ExpectedStatus {
  categories: string[];
  specialCategories: string[];
  declared: boolean;
  pseudonymized: boolean;
  /** Every artifact declaring a key it holds whose data reaches it: where its evidence may start. */
  possibleSources: number[];
  /** Per key (`c:x` / `s:X`): whether it is held only pseudonymised. */
  pseudonymizedKeys: Map<string, boolean>;
  /** Artifacts and executions the service's upstream walk meets (it refuses above its node ceiling). */
  upstreamNodes: number;
}

export interface ExpectedAffected {
  categories: string[];
  specialCategories: string[];
  pseudonymized: boolean;
  distance: number;
}

export interface ExpectedLineage {
  sources: number[];
  /** By artifact index. */
  affected: Map<number, ExpectedAffected>;
  models: number[];
  executions: number[];
  anonymizedBoundary: number[];
  truncated: boolean;
  /** Nodes the walk meets (for the node ceiling). */
  walked: number;
}

const ascending = (a: number, b: number): number => a - b;

export class PrivacyReference {
  /** Sorted keys; key i owns bits 2i (clear) and 2i+1 (pseudonymised). */
  readonly keys: string[];
  private readonly keyIndex: Map<string, number>;
  /** Per artifact, the facts it holds. */
  readonly facts: Uint32Array;
  /** Per artifact, the keys it declares (a bit per key); 0 for an artifact that declares nothing. */
  readonly declared: Uint32Array;
  private readonly transformOf: (PrivacyDeclaration | null)[];
  private readonly readerOffsets: Int32Array;
  private readonly readers: Int32Array;

  constructor(readonly g: BenchGraph, plan: PrivacyPlan) {
    const all = new Set<string>();
    for (const d of Object.values(plan.typeDefaults)) keysOfDeclaration(d).forEach((k) => all.add(k));
    if (plan.sourceDeclaration) keysOfDeclaration(plan.sourceDeclaration).forEach((k) => all.add(k));
    this.keys = [...all].sort();
    if (this.keys.length > 16) throw new Error('the privacy reference holds at most 16 keys');
    this.keyIndex = new Map(this.keys.map((k, i) => [k, i]));
    const mask = (d: PersonalDataDeclaration): number => keysOfDeclaration(d).reduce((m, k) => m | (1 << this.keyIndex.get(k)!), 0);

    const artifacts = g.artifactType.length;
    this.declared = new Uint32Array(artifacts);
    for (let a = 0; a < artifacts; a++) {
      // An artifact's own declaration replaces its type's default.
      const own = g.artifactProducer[a]! < 0 ? plan.sourceDeclaration : null;
      const typeDefault = plan.typeDefaults[g.artifactTypes[g.artifactType[a]!]!];
      const d = own ?? typeDefault;
      this.declared[a] = d ? mask(d) : 0;
    }
    this.transformOf = g.executionTypes.map((name) => plan.transforms[name] ?? null);

    const degree = new Int32Array(artifacts + 1);
    for (const s of g.steps) for (const a of s.inputs) degree[a + 1]!++;
    for (let a = 0; a < artifacts; a++) degree[a + 1]! += degree[a]!;
    this.readerOffsets = degree.slice();
    const cursor = degree.slice(0, artifacts);
    this.readers = new Int32Array(this.readerOffsets[artifacts]!);
    g.steps.forEach((s, x) => { for (const a of s.inputs) this.readers[cursor[a]!++] = x; });

    this.facts = new Uint32Array(artifacts);
    for (let a = 0; a < artifacts; a++) this.facts[a] = this.clearBits(this.declared[a]!);
    g.steps.forEach((s, x) => {
      let into = 0;
      for (const a of s.inputs) into |= this.facts[a]!;
      const out = this.passFacts(x, into);
      for (const a of s.outputs) this.facts[a]! |= out;
    });
  }

  private clearBits(keyMask: number): number {
    let bits = 0;
    for (let k = 0; k < this.keys.length; k++) if (keyMask & (1 << k)) bits |= 1 << (2 * k);
    return bits;
  }

  /** What execution `x` passes of one fact: null when the key does not pass, else whether it stays clear. */
  transfer(x: number, key: number, clear: boolean): boolean | null {
    const t = this.transformOf[this.g.steps[x]!.type]!;
    if (t === null) return clear;
    switch (t.transform) {
      case 'NONE': return clear;
      case 'PSEUDONYMIZE': return false;
      case 'ANONYMIZE': return null;
      case 'DROP': return keysOfDeclaration(t).includes(this.keys[key]!) ? null : clear;
      case 'AGGREGATE': return (t.k ?? 0) >= BENCH_MIN_K ? null : clear;
    }
  }

  /** True when execution `x` lets nothing through. */
  blocks(x: number): boolean {
    const t = this.transformOf[this.g.steps[x]!.type]!;
    return t !== null && (t.transform === 'ANONYMIZE' || (t.transform === 'AGGREGATE' && (t.k ?? 0) >= BENCH_MIN_K));
  }

  private passFacts(x: number, bits: number): number {
    let out = 0;
    for (let k = 0; k < this.keys.length; k++) {
      for (const clear of [true, false]) {
        if (!(bits & (1 << (2 * k + (clear ? 0 : 1))))) continue;
        const passed = this.transfer(x, k, clear);
        if (passed !== null) out |= 1 << (2 * k + (passed ? 0 : 1));
      }
    }
    return out;
  }

  /** Executions that read artifact `a`. */
  readersOf(a: number): Int32Array {
    return this.readers.subarray(this.readerOffsets[a]!, this.readerOffsets[a + 1]!);
  }

  /** Per key held by the facts `bits`: its index and whether it is held clear. */
  private held(bits: number): { key: number; clear: boolean }[] {
    const out: { key: number; clear: boolean }[] = [];
    for (let k = 0; k < this.keys.length; k++) {
      const clear = (bits & (1 << (2 * k))) !== 0;
      if (clear || (bits & (1 << (2 * k + 1))) !== 0) out.push({ key: k, clear });
    }
    return out;
  }

  private split(keys: number[]): { categories: string[]; specialCategories: string[] } {
    const names = keys.map((k) => this.keys[k]!);
    return {
      categories: names.filter((n) => n.startsWith('c:')).map((n) => n.slice(2)).sort(),
      specialCategories: names.filter((n) => n.startsWith('s:')).map((n) => n.slice(2)).sort(),
    };
  }

  /** Whether artifact `a`'s type's base type is MODEL. */
  isModel(a: number): boolean {
    return artifactBaseType(this.g.artifactTypes[this.g.artifactType[a]!]!) === 'MODEL';
  }

  /** Artifact `a`'s derived status. */
  status(a: number): ExpectedStatus | null {
    const held = this.held(this.facts[a]!);
    const upstreamNodes = this.upstreamCount(a);
    if (held.length === 0) return null;
    const sources = new Set<number>();
    for (const { key } of held) {
      // Backward through the steps that let this key pass, to every artifact declaring it.
      const seen = new Set([a]);
      const stack = [a];
      while (stack.length > 0) {
        const at = stack.pop()!;
        if (this.declared[at]! & (1 << key)) sources.add(at);
        const x = this.g.artifactProducer[at]!;
        if (x < 0 || this.transfer(x, key, true) === null) continue;
        for (const from of this.g.steps[x]!.inputs) if (!seen.has(from)) { seen.add(from); stack.push(from); }
      }
    }
    return {
      ...this.split(held.map((h) => h.key)),
      declared: this.declared[a] !== 0,
      pseudonymized: held.every((h) => !h.clear),
      possibleSources: [...sources].sort(ascending),
      pseudonymizedKeys: new Map(held.map((h) => [this.keys[h.key]!, !h.clear])),
      upstreamNodes,
    };
  }

  /** Nodes of the service's upstream walk from `a`: it does not go behind a step that lets nothing through. */
  private upstreamCount(a: number): number {
    const artifacts = new Set([a]);
    const executions = new Set<number>();
    const stack = [a];
    while (stack.length > 0) {
      const x = this.g.artifactProducer[stack.pop()!]!;
      if (x < 0 || executions.has(x)) continue;
      executions.add(x);
      if (this.blocks(x)) continue;
      for (const i of this.g.steps[x]!.inputs) if (!artifacts.has(i)) { artifacts.add(i); stack.push(i); }
    }
    return artifacts.size + executions.size;
  }

  /** Whether `route` (artifact and execution indices, as ARTIFACT/EXECUTION pairs) is a data-flow path from its first artifact to its last. */
  validRoute(route: readonly { kind: 'ARTIFACT' | 'EXECUTION'; index: number }[]): boolean {
    if (route.length % 2 === 0) return false;
    for (let i = 0; i < route.length; i++) {
      if (route[i]!.kind !== (i % 2 === 0 ? 'ARTIFACT' : 'EXECUTION') || route[i]!.index < 0) return false;
    }
    for (let i = 1; i < route.length; i += 2) {
      const step = this.g.steps[route[i]!.index]!;
      if (!step.inputs.includes(route[i - 1]!.index) || !step.outputs.includes(route[i + 1]!.index)) return false;
    }
    return true;
  }

  /** The lineage of a subject held in `holders`, downstream within `maxHops`. */
  lineage(holders: readonly number[], maxHops: number): ExpectedLineage {
    const artifactHop = new Map<number, number>(holders.map((h) => [h, 0]));
    const executionHop = new Map<number, number>();
    let frontier: number[] = [...new Set(holders)];
    let truncated = false;
    for (let hop = 1; frontier.length > 0; hop += 2) {
      // Artifacts at hop - 1 -> their readers at hop -> their outputs at hop + 1.
      const nextExecutions: number[] = [];
      for (const a of frontier) {
        for (const x of this.readersOf(a)) {
          if (executionHop.has(x)) continue;
          if (hop > maxHops) { truncated = true; break; }
          executionHop.set(x, hop);
          nextExecutions.push(x);
        }
      }
      if (truncated) break;
      const nextArtifacts: number[] = [];
      for (const x of nextExecutions) {
        if (this.blocks(x)) continue;
        for (const o of this.g.steps[x]!.outputs) {
          // An artifact that holds nothing at all cannot hold the subject's data: not entered.
          if (artifactHop.has(o) || this.facts[o] === 0) continue;
          if (hop + 1 > maxHops) { truncated = true; break; }
          artifactHop.set(o, hop + 1);
          nextArtifacts.push(o);
        }
      }
      if (truncated) break;
      frontier = nextArtifacts;
    }

    // States (artifact, key, clear) first reached at their depth, breadth-first.
    const depthOf = new Map<string, number>();
    const stateKey = (a: number, k: number, clear: boolean): string => `${a}:${k}:${clear ? 1 : 0}`;
    const queue: [number, number, boolean, number][] = [];
    const reach = (a: number, k: number, clear: boolean, depth: number): void => {
      const id = stateKey(a, k, clear);
      if (depthOf.has(id)) return;
      depthOf.set(id, depth);
      queue.push([a, k, clear, depth]);
    };
    for (const h of [...new Set(holders)].sort(ascending)) for (const { key, clear } of this.held(this.facts[h]!)) reach(h, key, clear, 0);
    for (let i = 0; i < queue.length; i++) {
      const [a, k, clear, depth] = queue[i]!;
      for (const x of this.readersOf(a)) {
        if (!executionHop.has(x)) continue;
        const passed = this.transfer(x, k, clear);
        if (passed === null) continue;
        for (const o of this.g.steps[x]!.outputs) if (artifactHop.has(o)) reach(o, k, passed, depth + 2);
      }
    }

    const affected = new Map<number, ExpectedAffected>();
    const heldAt = new Map<number, Map<number, boolean>>();
    for (const [a, k, clear] of queue) {
      const byKey = heldAt.get(a) ?? new Map<number, boolean>();
      byKey.set(k, (byKey.get(k) ?? false) || clear);
      heldAt.set(a, byKey);
    }
    for (const h of holders) if (!heldAt.has(h)) heldAt.set(h, new Map());
    for (const [a, byKey] of heldAt) {
      const keys = [...byKey.keys()];
      const clearKeys = keys.filter((k) => byKey.get(k));
      const candidates = clearKeys.length > 0 ? clearKeys : keys;
      const depths = candidates.map((k) => depthOf.get(stateKey(a, k, byKey.get(k)!))!);
      affected.set(a, {
        ...this.split(keys),
        pseudonymized: keys.length > 0 && clearKeys.length === 0,
        distance: depths.length > 0 ? Math.min(...depths) : 0,
      });
    }
    const executions = [...executionHop.keys()].filter((x) => this.g.steps[x]!.inputs.some((a) => affected.has(a))).sort(ascending);
    const boundary = new Set<number>();
    for (const x of executions) {
      if (!this.blocks(x)) continue;
      for (const o of this.g.steps[x]!.outputs) if (!affected.has(o)) boundary.add(o);
    }
    return {
      sources: [...new Set(holders)].sort(ascending),
      affected,
      models: [...affected.keys()].filter((a) => this.isModel(a)).sort(ascending),
      executions,
      anonymizedBoundary: [...boundary].sort(ascending),
      truncated,
      walked: artifactHop.size + executionHop.size,
    };
  }
}
