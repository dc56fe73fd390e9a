/**
 * One source for every default: an absent maxHops or maxNodes takes the service's
 * default lowered to the server's ceiling, over HTTP as in process. The server here has
 * ceilings below every default (10 hops against 20, 50 and 100; 500 nodes against
 * 10,000 and 100,000), so a default copied anywhere else (the schema) shows as a refusal.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createLineageService } from '../../src/service/lineage/lineage-service.js';
import { createPersonalDataService } from '../../src/service/privacy/personal-data-service.js';
import { personalDataSettings } from '../../src/service/privacy/personal-data-settings.js';
import { draw, putLineageTypes } from '../lineage/lineage-fixtures.js';
import { testSubjectKey } from '../privacy/fixtures.js';
import { BACKENDS } from '../support/backends.js';
import { bearer, makeKey, startSecureServer, useServiceWithKeys, type TestServer } from './security-harness.js';

const CEILINGS = { maxHopsCeiling: 10, maxNodesCeiling: 500 };

describe.each(BACKENDS)('argument defaults under lower ceilings ($name)', (backend) => {
  const h = useServiceWithKeys(backend);
  let t: TestServer | undefined;
  afterEach(async () => { await t?.close(); t = undefined; });

  it('answers lineage, impact, path, upstream, downstream and dataSubjectLineage without maxHops or maxNodes', async () => {
    await putLineageTypes(h.api);
    // d0 -> x0 -> d1
    const g = await draw(h.api, { artifacts: { d0: 'Dataset', d1: 'Dataset' }, executions: { x0: 'Transform' }, events: ['d0 -> x0', 'x0 -> d1'] });
    const token = await makeKey(h.store, 'admin');
    t = await startSecureServer(h.api, {
      lineage: createLineageService(h.store, CEILINGS),
      privacy: createPersonalDataService(h.store, { subjectKey: testSubjectKey(), settings: personalDataSettings({ limits: CEILINGS }) }),
    });
    const res = await t.gql(`query Q($d0: ID!, $d1: ID!, $x0: ID!, $subject: String!) {
      lineage(start: [$d1]) { nodes { id } truncated }
      impact(start: [$d0]) { artifactCount truncated }
      path(from: $d0, to: $d1) { type }
      artifact(id: $d1) { upstream { nodes { id } } downstream { nodes { id } } }
      execution(id: $x0) { upstream { nodes { id } } downstream { nodes { id } } }
      dataSubjectLineage(subjectId: $subject) { found truncated }
    }`, { d0: g.id('d0'), d1: g.id('d1'), x0: g.id('x0'), subject: 'someone@example.org' }, bearer(token));
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({
      lineage: { nodes: [{ id: g.id('d1') }, { id: g.id('x0') }, { id: g.id('d0') }], truncated: false },
      impact: { artifactCount: 1, truncated: false },
      path: [{ type: 'INPUT' }, { type: 'OUTPUT' }],
      artifact: { upstream: { nodes: [{ id: g.id('d1') }, { id: g.id('x0') }, { id: g.id('d0') }] }, downstream: { nodes: [{ id: g.id('d1') }] } },
      execution: { upstream: { nodes: [{ id: g.id('x0') }, { id: g.id('d0') }] }, downstream: { nodes: [{ id: g.id('x0') }, { id: g.id('d1') }] } },
      dataSubjectLineage: { found: false, truncated: false },
    });
  });

  it('still refuses an explicit value above the ceiling, naming the argument', async () => {
    t = await startSecureServer(h.api, { lineage: createLineageService(h.store, CEILINGS) });
    const res = await t.gql('query Q($h: Int) { lineage(start: ["x"], maxHops: $h) { truncated } }', { h: 11 });
    expect(res.errors).toEqual([expect.objectContaining({
      message: 'maxHops must be an integer from 0 to 10, got 11', extensions: { code: 'BAD_USER_INPUT', field: 'maxHops' },
    })]);
  });
});
