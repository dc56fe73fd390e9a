/**
 * dataSubjectLineage where its bounds cut the walk, on every backend: a bound decides which
 * nodes the walk meets (within maxHops events of a source, and no more than the node
 * ceiling), and what an affected artifact holds is then the propagation over every
 * data-flow edge among them, whatever lies past the bound.
 *
 *   Src{identifier, location} --dropLoc(DROP location)--> Slim ---------------------+
 *                                                                                   join --> Joined
 *   Src --copy--> Copy --recopy--> Recopy ------------------------------------------+
 *                         recopy-> Extra
 *                                  Recopy --early--> Before
 *                                  Recopy --later--> Past
 *
 *   distances: Src 0; dropLoc, copy 1; Slim, Copy 2; join, recopy 3; Joined, Recopy,
 *   Extra 4; early, later 5; Before, Past 6. Nodes are written in the order of their
 *   names above, except that early is written before join and later after it.
 *
 * Joined is met at 4 through Slim, which holds no location; Recopy, met at 4 as well, is
 * join's other input and brings the location (on a route of 6 events, between nodes the
 * walk met). The edge Recopy -> join is seen only after the hop that meets Recopy:
 * - at maxHops 4, in the look one hop past the bound, which also meets early and later.
 *   It was recorded only when it came before both (early is written before join and later
 *   after it, so one of them comes first in either order of ids): Joined lost its location
 *   whenever something new lay just past the bound.
 * - under a node ceiling of 9, which keeps Joined and Recopy of hop 4 and cuts Extra (the
 *   walk keeps a cut hop's nodes by id): the walk stopped at once, without that edge.
 */
import { describe, expect, it } from 'vitest';
import type { SubjectLineage } from '../../src/service/privacy/personal-data-service.js';
import { BACKENDS, useService } from '../support/backends.js';
import { createPersonalDataService } from '../../src/service/privacy/personal-data-service.js';
import { personalDataSettings } from '../../src/service/privacy/personal-data-settings.js';
import { artifact, pd, personalDataService, putPrivacyTypes, step, testSubjectKey } from '../privacy/fixtures.js';

const BOTH = ['identifier', 'location'];

describe.each(BACKENDS)('dataSubjectLineage at its bounds on $name', (backend) => {
  const t = useService(backend);

  async function drawnGraph() {
    await putPrivacyTypes(t.api);
    const a = {
      Src: await artifact(t.api, 'Src', pd(['identifier', 'location'])),
      Slim: await artifact(t.api, 'Slim'),
      Copy: await artifact(t.api, 'Copy'),
      Joined: await artifact(t.api, 'Joined'),
      Recopy: await artifact(t.api, 'Recopy'),
      Before: await artifact(t.api, 'Before'),
      Past: await artifact(t.api, 'Past'),
      Extra: await artifact(t.api, 'Extra'),
    };
    const x = {
      dropLoc: await step(t.api, 'dropLoc', [a.Src.id], [a.Slim.id], { transform: 'DROP', categories: ['location'], specialCategories: [] }),
      copy: await step(t.api, 'copy', [a.Src.id], [a.Copy.id]),
      recopy: await step(t.api, 'recopy', [a.Copy.id], [a.Recopy.id, a.Extra.id]),
      early: await step(t.api, 'early', [a.Recopy.id], [a.Before.id]),
      join: await step(t.api, 'join', [a.Slim.id, a.Recopy.id], [a.Joined.id]),
      later: await step(t.api, 'later', [a.Recopy.id], [a.Past.id]),
    };
    const svc = personalDataService(t.store);
    await svc.registerDataSubjects(a.Src.id, ['alice'], 'test');
    const names = new Map<string, string>([...Object.entries(a), ...Object.entries(x)].map(([n, r]) => [r.id, n]));
    const named = (report: SubjectLineage) => ({
      affected: report.affected.map((r) => ({
        artifact: names.get(r.artifactId), distance: r.distance, categories: r.categories, pseudonymized: r.pseudonymized,
        route: r.route.map((id) => names.get(id)),
      })),
      executions: report.executions.map((id) => names.get(id)).sort(),
      truncated: report.truncated,
    });
    const idOf = (name: string | undefined): string => a[name as keyof typeof a].id;
    /** The affected artifacts up to Joined and Recopy at 4 (order them with byDistanceThenId). */
    const toJoinedAndRecopy = [
      { artifact: 'Src', distance: 0, categories: BOTH, pseudonymized: false, route: ['Src'] },
      { artifact: 'Slim', distance: 2, categories: ['identifier'], pseudonymized: false, route: ['Src', 'dropLoc', 'Slim'] },
      { artifact: 'Copy', distance: 2, categories: BOTH, pseudonymized: false, route: ['Src', 'copy', 'Copy'] },
      // The location comes through Recopy (6 events), the identifier first through Slim (4): the route shown.
      { artifact: 'Joined', distance: 4, categories: BOTH, pseudonymized: false, route: ['Src', 'dropLoc', 'Slim', 'join', 'Joined'] },
      { artifact: 'Recopy', distance: 4, categories: BOTH, pseudonymized: false, route: ['Src', 'copy', 'Copy', 'recopy', 'Recopy'] },
    ];
    const byDistanceThenId = (p: { artifact: string | undefined; distance: number }, q: { artifact: string | undefined; distance: number }): number =>
      p.distance - q.distance || (idOf(p.artifact) < idOf(q.artifact) ? -1 : 1);
    return { svc, named, toJoinedAndRecopy, byDistanceThenId };
  }

  it('gives an artifact at the hop bound what every route among the nodes within it brings, whatever lies past it', async () => {
    const { svc, named, toJoinedAndRecopy, byDistanceThenId } = await drawnGraph();
    const report = named(await svc.dataSubjectLineage('alice', { maxHops: 4 }, 'test'));
    expect(report).toEqual({
      affected: [
        ...toJoinedAndRecopy,
        { artifact: 'Extra', distance: 4, categories: BOTH, pseudonymized: false, route: ['Src', 'copy', 'Copy', 'recopy', 'Extra'] },
      ].sort(byDistanceThenId),
      // early and later are past the bound: met by the look past it only, so not reported.
      executions: ['copy', 'dropLoc', 'join', 'recopy'],
      truncated: true,
    });

    // Nothing past the bound changes what Joined holds: the same as when the walk goes on to Past.
    const whole = named(await svc.dataSubjectLineage('alice', { maxHops: 100 }, 'test'));
    expect(whole.truncated).toBe(false);
    expect(whole.affected.find((r) => r.artifact === 'Joined')).toEqual(report.affected.find((r) => r.artifact === 'Joined'));
  }, 120_000); // a fresh Neo4j plans each statement on first use, slowly on a busy machine

  it('gives an artifact kept by the node ceiling what every route among the nodes kept brings', async () => {
    const { named, toJoinedAndRecopy, byDistanceThenId } = await drawnGraph();
    const capped = createPersonalDataService(t.store, {
      subjectKey: testSubjectKey(), settings: personalDataSettings({ limits: { maxNodesCeiling: 9 } }),
    });
    expect(named(await capped.dataSubjectLineage('alice', {}, 'test'))).toEqual({
      affected: [...toJoinedAndRecopy].sort(byDistanceThenId),
      executions: ['copy', 'dropLoc', 'join', 'recopy'],
      truncated: true,
    });
  }, 120_000);
});

