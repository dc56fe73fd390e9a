/**
 * The subject's report as a graph and the personal-data routes: nodes are the affected
 * artifacts (sources highlighted, badged with the subject's categories, "pseudonymised:"
 * when all are), the executions and the anonymised boundary; edges only between drawn
 * nodes; a route never carries more than a section and a request id.
 */
import { describe, expect, it } from 'vitest';
import { parseRoute } from '../src/app/routes';
import type { DataSubjectReport } from '../src/views/privacy/privacy-queries';
import { privacyHref, privacyPlace } from '../src/views/privacy/privacy-routes';
import { BOUNDARY_BADGE, categoriesBadge, subjectGraph } from '../src/views/privacy/subject-graph';

const HOSTILE = '<img src=x onerror=alert(1)>';
const art = (id: string, name: string | null = id, type = 'Table') => ({ id, name, type: { name: type } });

const REPORT: DataSubjectReport = {
  found: true,
  truncated: false,
  sources: [{ id: 'raw' }],
  affected: [
    { distance: 0, categories: ['contact'], specialCategories: ['HEALTH'], pseudonymized: false, route: ['raw'], artifact: art('raw') },
    { distance: 1, categories: ['contact'], specialCategories: ['HEALTH'], pseudonymized: true, route: ['raw', 'x1', 'clean'], artifact: art('clean', HOSTILE) },
    { distance: 2, categories: ['contact'], specialCategories: [], pseudonymized: true, route: ['raw', 'x1', 'clean', 'x2', 'model'], artifact: art('model', null, 'Model') },
  ],
  models: [{ artifact: { id: 'model' } }],
  executions: [
    { id: 'x1', name: 'pseudo', type: { name: 'Step' }, privacy: { transform: 'PSEUDONYMIZE' }, inputs: [{ artifact: { id: 'raw' } }], outputs: [{ artifact: { id: 'clean' } }] },
    { id: 'x2', name: 'train', type: { name: 'Step' }, privacy: null, inputs: [{ artifact: { id: 'clean' } }, { artifact: { id: 'unrelated' } }], outputs: [{ artifact: { id: 'model' } }] },
    { id: 'x3', name: 'anon', type: { name: 'Step' }, privacy: { transform: 'ANONYMIZE' }, inputs: [{ artifact: { id: 'raw' } }], outputs: [{ artifact: { id: 'stats' } }] },
  ],
  contexts: [],
  anonymizedBoundary: [art('stats')],
};

describe('subjectGraph', () => {
  it('draws the affected artifacts, the executions and the boundary, with the API\'s categories as badges', () => {
    const g = subjectGraph(REPORT);
    expect(g.nodes.map((n) => [n.id, n.kind, n.highlighted ?? false, n.badge ?? null])).toEqual([
      ['raw', 'ARTIFACT', true, 'contact, health'],
      ['clean', 'ARTIFACT', false, 'pseudonymised: contact, health'],
      ['model', 'ARTIFACT', false, 'pseudonymised: contact'],
      ['stats', 'ARTIFACT', false, BOUNDARY_BADGE],
      ['x1', 'EXECUTION', false, 'pseudonymize'],
      ['x2', 'EXECUTION', false, null],
      ['x3', 'EXECUTION', false, 'anonymize'],
    ]);
    // Names are kept as given (the canvas renders them as text); a nameless artifact shows its id.
    expect(g.nodes.find((n) => n.id === 'clean')?.label).toBe(HOSTILE);
    expect(g.nodes.find((n) => n.id === 'model')?.label).toBe('model');
    // Edges only between drawn nodes: the unrelated input is left out.
    expect(g.edges.map((e) => e.id).sort()).toEqual(['clean->x2', 'raw->x1', 'raw->x3', 'x1->clean', 'x2->model', 'x3->stats']);
  });

  it('badges special categories in words', () => {
    expect(categoriesBadge({ categories: [], specialCategories: ['SEX_LIFE_OR_ORIENTATION'], pseudonymized: false })).toBe('sex life or orientation');
  });
});

describe('personal-data routes', () => {
  it('names a section and an erasure request, nothing else', () => {
    expect(privacyHref('erasure', 'r/1 2')).toBe('#/privacy/erasure/r%2F1%202');
    expect(privacyPlace(parseRoute(privacyHref('erasure', 'r/1 2')))).toEqual({ section: 'erasure', requestId: 'r/1 2' });
    expect(privacyPlace(parseRoute(privacyHref('inventory', null, { special: 'HEALTH' })))).toEqual({ section: 'inventory', requestId: null });
    expect(privacyHref('audit', null, { after: 'abc' })).toBe('#/privacy/audit?after=abc');
    expect(privacyPlace(parseRoute('#/privacy'))).toEqual({ section: 'subject', requestId: null });
    expect(privacyPlace(parseRoute('#/privacy/unknown/x'))).toEqual({ section: 'subject', requestId: null });
    // A request id belongs to the erasure section only.
    expect(privacyPlace(parseRoute('#/privacy/audit/x'))).toEqual({ section: 'audit', requestId: null });
  });
});
