/**
 * dataSubjectLineage at its hop bound, on every backend: the bound decides which nodes the
 * walk meets (those within maxHops events of a source), and what an affected artifact holds
 * is then the propagation over every data-flow edge among them, whatever lies past the
 * bound. maxHops 4:
 *
 *   Src{identifier, location} --dropLoc(DROP location)--> Slim ---------------------+
 *                                                                                   join --> Joined
 *   Src --copy--> Copy --recopy--> Recopy ------------------------------------------+
 *                                  Recopy --early--> Before
 *                                  Recopy --later--> Past
 *
 *   distances: Src 0; dropLoc, copy 1; Slim, Copy 2; join, recopy 3; Joined, Recopy 4;
 *   early, later 5, Before, Past 6 (past the bound: truncated). early is written before
 *   join and later after it, so that in the steps out of Recopy a new neighbour comes
 *   before Recopy -> join in either order of ids.
 *
 * Joined is met at 4 through Slim, which holds no location; Recopy, met at 4 as well, is
 * join's other input and brings the location (on a route of 6 events, between nodes the
 * walk met). The edge Recopy -> join is only seen in the look one hop past the bound, the
 * same look that meets early and later; it was recorded only when it came before both, so
 * Joined lost its location whenever something new lay just past the bound.
 */
import { describe, expect, it } from 'vitest';
import type { SubjectLineage } from '../../src/service/privacy/personal-data-service.js';
import { BACKENDS, useService } from '../support/backends.js';
import { artifact, pd, personalDataService, putPrivacyTypes, step } from '../privacy/fixtures.js';

describe.each(BACKENDS)('dataSubjectLineage at the hop bound on $name', (backend) => {
  const t = useService(backend);

  async function drawnGraph() {
    await putPrivacyTypes(t.api);
    // Joined is written before Recopy, so its id (and its place in any step order by id) comes first.
    const a = {
      Src: await artifact(t.api, 'Src', pd(['identifier', 'location'])),
      Slim: await artifact(t.api, 'Slim'),
      Copy: await artifact(t.api, 'Copy'),
      Joined: await artifact(t.api, 'Joined'),
      Recopy: await artifact(t.api, 'Recopy'),
      Before: await artifact(t.api, 'Before'),
      Past: await artifact(t.api, 'Past'),
    };
    const x = {
      dropLoc: await step(t.api, 'dropLoc', [a.Src.id], [a.Slim.id], { transform: 'DROP', categories: ['location'], specialCategories: [] }),
      copy: await step(t.api, 'copy', [a.Src.id], [a.Copy.id]),
      recopy: await step(t.api, 'recopy', [a.Copy.id], [a.Recopy.id]),
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
    return { a, svc, named };
  }

  it('gives an artifact at the bound what every route among the nodes within it brings, whatever lies past it', async () => {
    const { a, svc, named } = await drawnGraph();
    const idOf = (name: string): string => a[name as keyof typeof a].id;
    const report = named(await svc.dataSubjectLineage('alice', { maxHops: 4 }, 'test'));
    const both = ['identifier', 'location'];
    expect(report).toEqual({
      affected: [
        { artifact: 'Src', distance: 0, categories: both, pseudonymized: false, route: ['Src'] },
        { artifact: 'Slim', distance: 2, categories: ['identifier'], pseudonymized: false, route: ['Src', 'dropLoc', 'Slim'] },
        { artifact: 'Copy', distance: 2, categories: both, pseudonymized: false, route: ['Src', 'copy', 'Copy'] },
        // The location comes through Recopy (6 events), the identifier first through Slim (4): the route shown.
        { artifact: 'Joined', distance: 4, categories: both, pseudonymized: false, route: ['Src', 'dropLoc', 'Slim', 'join', 'Joined'] },
        { artifact: 'Recopy', distance: 4, categories: both, pseudonymized: false, route: ['Src', 'copy', 'Copy', 'recopy', 'Recopy'] },
        // By distance, then id (creation order here).
      ].sort((p, q) => p.distance - q.distance || (idOf(p.artifact) < idOf(q.artifact) ? -1 : 1)),
      // early and later are past the bound: met by the look past it only, so not reported.
      executions: ['copy', 'dropLoc', 'join', 'recopy'],
      truncated: true,
    });

    // Nothing past the bound changes what Joined holds: the same as when the walk goes on to Past.
    const whole = named(await svc.dataSubjectLineage('alice', { maxHops: 100 }, 'test'));
    expect(whole.truncated).toBe(false);
    expect(whole.affected.find((r) => r.artifact === 'Joined')).toEqual(report.affected.find((r) => r.artifact === 'Joined'));
  }, 120_000); // a fresh Neo4j plans each statement on first use, slowly on a busy machine
});

