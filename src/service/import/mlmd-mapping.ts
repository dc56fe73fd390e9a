/**
 * The mapping from ML Metadata's ids to the store's, as CSV lines, read back from the
 * import origins: what a system that stored ML Metadata ids (Kubeflow's run records hold
 * execution ids) needs while imported nodes get the store's own ids.
 */
import type { NodeKind, NodeRecord } from '../../graph/model.js';
import type { MetadataApi } from '../metadata/metadata-service.js';
import { MAX_BATCH } from '../shared/validate.js';
import type { MlmdSource, SourceBounds } from './mlmd-source.js';

export const MAPPING_HEADER = 'kind,mlmd_id,journey_mlmd_id,journey_id';

/** Writes one line per imported node of the source (kinds in turn, ids ascending) through `line`; returns how many. */
export async function writeImportMapping(
  api: MetadataApi, source: MlmdSource, origin: string, bounds: SourceBounds, line: (text: string) => void,
): Promise<number> {
  line(MAPPING_HEADER);
  let lines = 0;
  for (const kind of ['CONTEXT', 'ARTIFACT', 'EXECUTION'] as NodeKind[]) {
    for (let after = 0; ;) {
      const page = await source.nodes(kind, after, MAX_BATCH, bounds);
      if (page.length === 0) break;
      after = page[page.length - 1]!.id;
      const ids = await api.store.read((tx) => tx.importedNodeIds(origin, kind, page.map((n) => n.id)));
      const present = ids.filter((id): id is string => id !== null);
      const records = new Map((await api.getNodes(present)).filter((r): r is NodeRecord => r !== null).map((r) => [r.id, r]));
      page.forEach((n, i) => {
        const record = ids[i] ? records.get(ids[i]!) : undefined;
        if (!record) return;
        line(`${kind},${n.id},${record.mlmdId},${record.id}`);
        lines += 1;
      });
    }
  }
  return lines;
}
