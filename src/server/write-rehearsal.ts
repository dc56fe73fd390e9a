/**
 * A rehearsal of a pipeline's writes, run once when a server starts on Neo4j and rolled
 * back: it leaves nothing behind, and Neo4j has planned the statements those writes send.
 *
 * Why (docs/deploy.md, "Throughput under contention"): Neo4j plans a statement the first
 * time it sees its text with its parameters' types, and an empty list is a type of its own,
 * so each mix of empty and non-empty lists in one statement is planned apart. On a loaded
 * machine a plan takes 0.2 to 1.5 s, and it is made inside the transaction that sent the
 * statement, which by then holds the locks of the shared contexts and inputs it wrote. In
 * the multi-process test every writer waited behind such a transaction: the first step to
 * create `pipeline-0` held its uniqueness lock while its next statements were planned, 23
 * writers waited 5 to 12 s, and then ran again. The plan cache is the server's, so a
 * rehearsal by any process serves them all, until Neo4j restarts.
 */
import type { GraphStore } from '../graph/store.js';
import type { MetadataApi } from '../service/metadata/metadata-service.js';
import type { PersonalDataApi } from '../service/privacy/personal-data-service.js';
import { IN_PROCESS_ACTOR } from '../service/privacy/tracking-changes.js';

/** Thrown at the end of the rehearsal so that its transaction rolls back. */
class RehearsalDone extends Error {
  constructor() {
    super('the write rehearsal rolls back');
  }
}

/**
 * Runs, in one transaction that is always rolled back, the writes of two steps of a
 * pipeline under names of their own (types, a shared input with personal data, two
 * contexts, an output): the second step reusing what the first made, as a pipeline's
 * later steps do, then a declaration, a registration and a parent link. Resolves with
 * the milliseconds it took; a failure is the caller's to log, never a reason not to start.
 */
export async function rehearseWrites(store: GraphStore, api: MetadataApi, privacy: PersonalDataApi): Promise<number> {
  const started = performance.now();
  // Names no client uses: the rehearsal must not wait on a real writer's locks (or make one wait).
  const tag = `journey-rehearsal-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  const actor = IN_PROCESS_ACTOR;
  try {
    await store.inOneTransaction(async () => {
      // One after another: statements of one transaction are sent in turn anyway.
      const input = await api.putType('ARTIFACT_TYPE', { name: `${tag}-input`, baseType: 'DATASET', personalData: { categories: ['contact'], specialCategories: [] } }, {}, actor);
      const output = await api.putType('ARTIFACT_TYPE', { name: `${tag}-output`, baseType: 'DATASET' }, {}, actor);
      const execution = await api.putType('EXECUTION_TYPE', { name: `${tag}-step` }, {}, actor);
      const pipeline = await api.putType('CONTEXT_TYPE', { name: `${tag}-pipeline` }, {}, actor);
      const run = await api.putType('CONTEXT_TYPE', { name: `${tag}-run` }, {}, actor);
      let previous: string | null = null;
      let first: Awaited<ReturnType<MetadataApi['recordExecution']>> | null = null;
      for (let i = 0; i < 2; i += 1) {
        const step = await api.recordExecution({
          execution: { type: execution.name, name: `${tag}-x${i}`, lastKnownState: 'COMPLETE' },
          inputs: [
            { artifact: { type: input.name, name: `${tag}-raw`, uri: `rehearsal://${tag}/raw` } },
            ...(previous ? [{ id: previous }] : []),
          ],
          outputs: [{ artifact: { type: output.name, name: `${tag}-t${i}`, uri: `rehearsal://${tag}/${i}` } }],
          contexts: [{ type: pipeline.name, name: `${tag}-pipeline` }, { type: run.name, name: `${tag}-run` }],
        }, actor);
        previous = step.outputs[0]!.id;
        first ??= step;
      }
      await api.putArtifacts([{ id: previous!, type: output.name, personalData: { categories: ['contact'], specialCategories: [] } }], {}, actor);
      await privacy.registerDataSubjects(first!.inputs[0]!.id, [`${tag}-subject`], actor.caller);
      await api.putParentContexts([{ parentId: first!.contexts[0]!.id, childId: first!.contexts[1]!.id }]);
      throw new RehearsalDone();
    });
  } catch (error) {
    if (!(error instanceof RehearsalDone)) throw error;
  }
  return Math.round(performance.now() - started);
}
