/**
 * ML Metadata ids on Neo4j: handed out from a process-local pool per id space, refilled a
 * block at a time from the database's counter node (admin/allocate-mlmd-ids.cypher) in a
 * short transaction of its own. So a write transaction never holds the counter's lock (two
 * writers would otherwise queue behind each other for their whole length), most writes
 * take ids without a statement, and several API processes on one database get disjoint
 * blocks. Ids a process took but never stored (a rolled-back write, a process that
 * stopped) are skipped for good: the interface allows gaps, never reuse.
 */
import { MLMD_ID_SPACES, type MlmdIdSpace } from '../model.js';

/** Ids a refill takes at least: a block lasts a process about a thousand new nodes. */
export const MLMD_ID_BLOCK = 1_000;

/** Takes `count` fresh ids of `space` from the database; resolves to the first (they run on from it). */
export type ReserveMlmdIds = (space: MlmdIdSpace, count: number) => Promise<number>;

export class MlmdIdPool {
  /** The ids of each space still to hand out: next, ..., end - 1. */
  private readonly left = Object.fromEntries(MLMD_ID_SPACES.map((space) => [space, { next: 0, end: 0 }])) as
    Record<MlmdIdSpace, { next: number; end: number }>;
  /** The refill of each space under way, which every taker short of ids waits for. */
  private readonly refilling: Partial<Record<MlmdIdSpace, Promise<void>>> = {};

  constructor(private readonly reserve: ReserveMlmdIds, private readonly block = MLMD_ID_BLOCK) {}

  /** `count` ids of `space`, ascending: from the pool, refilled as often as it runs dry. */
  async take(space: MlmdIdSpace, count: number): Promise<number[]> {
    // The space is a counter node's key: only the closed list, whatever a caller passes.
    if (!MLMD_ID_SPACES.includes(space)) throw new Error(`space must be one of ${MLMD_ID_SPACES.join(', ')}, got ${String(space)}`);
    if (!Number.isSafeInteger(count) || count < 0) throw new Error(`count must be a non-negative integer, got ${count}`);
    const ids: number[] = [];
    while (ids.length < count) {
      const left = this.left[space];
      const n = Math.min(count - ids.length, left.end - left.next);
      for (let i = 0; i < n; i += 1) ids.push(left.next + i);
      left.next += n;
      // Blocks only grow (the counter never goes back), so ids taken after a refill stay ascending.
      if (ids.length < count) await this.refill(space, count - ids.length);
    }
    return ids;
  }

  /**
   * Drops the ids of `space` still in the pool at or below `highest` (the ids a trusted
   * write gave: claim-mlmd-ids.cypher moved the counter past them), so this process hands
   * out only ids above them from now on. Dropped ids are skipped for good.
   */
  skipUpTo(space: MlmdIdSpace, highest: number): void {
    const left = this.left[space];
    left.next = Math.min(left.end, Math.max(left.next, highest + 1));
  }

  private refill(space: MlmdIdSpace, wanted: number): Promise<void> {
    this.refilling[space] ??= (async () => {
      try {
        const size = Math.max(this.block, wanted);
        const first = await this.reserve(space, size);
        this.left[space] = { next: first, end: first + size };
      } finally {
        delete this.refilling[space];
      }
    })();
    return this.refilling[space];
  }
}
