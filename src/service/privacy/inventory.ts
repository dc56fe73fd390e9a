/**
 * The Art. 30 view: every artifact that holds personal data, declared or derived. It
 * starts from every declaring artifact (those with a declaration of their own, and those
 * of types that declare a default), walks downstream from all of them at once and runs
 * one propagation. Computed on each call, bounded by the node ceiling: an inventory that
 * outgrows it is refused rather than answered in part.
 */
import { FailedPreconditionError } from '../../graph/errors.js';
import type { SpecialCategory } from '../../graph/model.js';
import type { StoreTx } from '../../graph/store.js';
import { walkDataFlow } from './data-flow-walk.js';
import { declaredSeeds, requireWhole, type PropagationSettings } from './personal-data-status.js';
import { blocksEverything, categoryKey, Propagation, specialCategoryKey } from './propagation.js';

export interface InventoryFilter {
  /** Only artifacts holding this category (clear or pseudonymised). */
  category: string | null;
  /** Only artifacts holding this special category. */
  specialCategory: SpecialCategory | null;
}

/** Declaring artifacts read per store call. */
const SEED_PAGE = 10_000;

/** The ids, in id order, of the artifacts holding personal data that pass `filter`. */
export async function inventoryInTx(tx: StoreTx, filter: InventoryFilter, settings: PropagationSettings): Promise<string[]> {
  const declaringTypes = (await tx.listTypes('ARTIFACT_TYPE')).filter((t) => t.personalData !== undefined).map((t) => t.id);
  const candidates: string[] = [];
  for (let after: string | null = null; ;) {
    settings.deadline?.check();
    const page = await tx.artifactsDeclaringPersonalData(declaringTypes, after, SEED_PAGE);
    for (const id of page) candidates.push(id);
    if (candidates.length > settings.maxNodes) {
      throw new FailedPreconditionError(`the personal-data inventory starts from more than ${settings.maxNodes} declaring artifacts, the server's node ceiling`);
    }
    if (page.length < SEED_PAGE) break;
    after = page[page.length - 1]!;
  }
  const { seeds, typeIdOf } = await declaredSeeds(tx, candidates);
  if (seeds.size === 0) return [];
  const start = [...typeIdOf].map(([id, typeId]) => ({ id, typeId }));
  const graph = await walkDataFlow(tx, {
    start,
    direction: 'DOWNSTREAM',
    maxHops: Number.MAX_SAFE_INTEGER,
    maxNodes: settings.maxNodes,
    blocks: (privacy) => blocksEverything(privacy, settings.minK),
    deadline: settings.deadline,
  });
  requireWhole(graph, settings, 'the personal-data inventory');
  const propagation = new Propagation(graph, seeds, settings.minK);
  const wanted = [
    ...(filter.category === null ? [] : [categoryKey(filter.category)]),
    ...(filter.specialCategory === null ? [] : [specialCategoryKey(filter.specialCategory)]),
  ];
  return propagation.artifacts().filter((id) => {
    const held = new Set(propagation.carried(id).map((c) => c.key));
    return wanted.every((key) => held.has(key));
  });
}
