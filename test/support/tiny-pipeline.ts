/**
 * The smallest pipeline a store can hold: artifacts `in` and `out` of type Table, and an
 * execution `x` of type Step that reads one and writes the other (the store-command
 * tests' source store).
 */
import type { GraphStore } from '../../src/graph/store.js';
import { createServices } from '../../src/service/services.js';
import { FakeClock } from './backends.js';

export async function writeTinyPipeline(store: GraphStore): Promise<void> {
  const { metadata: api } = createServices(store, { clock: new FakeClock() });
  await api.putType('ARTIFACT_TYPE', { name: 'Table' });
  await api.putType('EXECUTION_TYPE', { name: 'Step' });
  const [a, b] = await api.putArtifacts([{ type: 'Table', name: 'in' }, { type: 'Table', name: 'out' }]);
  const [x] = await api.putExecutions([{ type: 'Step', name: 'x' }]);
  await api.putEvents([{ artifactId: a!.id, executionId: x!.id, type: 'INPUT' }, { artifactId: b!.id, executionId: x!.id, type: 'OUTPUT' }]);
}
