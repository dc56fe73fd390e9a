// @vitest-environment jsdom
/**
 * The personal-data view in jsdom against a fake server: a caller without PRIVACY is told
 * which role is needed and nothing personal is asked; the subject identifier travels only
 * as a POST variable (never the URL, storage or console) and the report renders hostile
 * names as text; an item's status change is shown from the mutation's answer, with no
 * second read.
 */
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CallerProvider } from '../src/app/caller';
import { parseRoute } from '../src/app/routes';
import { PrivacyView } from '../src/views/PrivacyView';

const SUBJECT = 'jsdom-canary-subject@example.org';
const HOSTILE = '<img src=x onerror="window.__pwned=1">';

interface Sent { operationName: string; variables: Record<string, unknown> }

/** A fetch that answers Me with `role` and each other operation from `answers`, recording what was sent. */
function fakeServer(role: 'VIEWER' | 'PRIVACY', answers: Record<string, (v: Record<string, unknown>) => unknown>): Sent[] {
  const sent: Sent[] = [];
  vi.stubGlobal('fetch', vi.fn(async (_url: string, init: RequestInit) => {
    const body = JSON.parse(String(init.body)) as Sent;
    sent.push({ operationName: body.operationName, variables: body.variables });
    const permissions = role === 'PRIVACY' ? ['READ', 'PRIVACY'] : ['READ'];
    const data = body.operationName === 'Me'
      ? { me: { role, permissions, anonymous: false } }
      : answers[body.operationName]?.(body.variables);
    return new Response(JSON.stringify(data === undefined ? { errors: [{ message: `unexpected ${body.operationName}` }] } : { data }), {
      status: 200, headers: { 'content-type': 'application/json' },
    });
  }));
  return sent;
}

const view = (hash: string) => render(<CallerProvider><PrivacyView route={parseRoute(hash)} /></CallerProvider>);

afterEach(() => { cleanup(); vi.unstubAllGlobals(); vi.restoreAllMocks(); window.sessionStorage.clear(); window.localStorage.clear(); });

describe('PrivacyView', () => {
  it('tells a viewer which role is needed and asks nothing personal', async () => {
    const sent = fakeServer('VIEWER', {});
    view('#/privacy/erasure');
    await waitFor(() => expect(screen.getByRole('alert').textContent).toMatch(/need the privacy or admin role; this key has viewer/));
    expect(sent.map((s) => s.operationName)).toEqual(['Me']);
    expect(screen.queryByLabelText('Subject identifier')).toBeNull();
  });

  it('sends the subject as a POST variable only and renders the report as text', async () => {
    const log = vi.spyOn(console, 'log');
    const warn = vi.spyOn(console, 'warn');
    const error = vi.spyOn(console, 'error');
    const artifact = (id: string, name: string, type = 'Table', baseType: string | null = 'DATASET') => ({ id, name, uri: null, type: { name: type, baseType } });
    const sent = fakeServer('PRIVACY', {
      DataSubjectLineage: () => ({ dataSubjectLineage: {
        found: true, truncated: false,
        sources: [{ id: 'raw' }],
        affected: [
          { distance: 0, categories: ['contact'], specialCategories: [], pseudonymized: false, route: ['raw'], artifact: artifact('raw', HOSTILE) },
          { distance: 2, categories: ['contact'], specialCategories: [], pseudonymized: true, route: ['raw', 'x', 'm'], artifact: artifact('m', 'churn-model', 'Model', 'MODEL') },
        ],
        models: [{ artifact: { id: 'm' } }],
        executions: [{ id: 'x', name: 'train', type: { name: 'Trainer' }, privacy: null, inputs: [{ artifact: { id: 'raw' } }], outputs: [{ artifact: { id: 'm' } }] }],
        contexts: [{ id: 'c', name: 'pipeline', type: { name: 'Pipeline' } }],
        anonymizedBoundary: [],
      } }),
    });
    const hrefBefore = window.location.href;
    view('#/privacy/subject');
    const field = await screen.findByLabelText('Subject identifier');
    expect(field.getAttribute('autocomplete')).toBe('off');
    fireEvent.change(field, { target: { value: ` ${SUBJECT} ` } });
    fireEvent.click(screen.getByText('Trace'));
    await screen.findByText('churn-model', { selector: '[data-testid="models-table"] a' });
    expect(sent.map((s) => s.operationName)).toEqual(['Me', 'DataSubjectLineage']);
    expect(sent[1]!.variables).toEqual({ subjectId: SUBJECT });
    // Models first, then every affected artifact; the hostile name is text, not an element.
    expect(screen.getAllByRole('heading', { level: 2 }).map((h) => h.textContent).slice(0, 2)).toEqual(['Affected models', 'Affected artifacts']);
    expect(screen.getAllByText(HOSTILE).length).toBeGreaterThan(0);
    expect(document.querySelector('img[src="x"]')).toBeNull();
    expect((window as unknown as { __pwned?: number }).__pwned).toBeUndefined();
    // Nowhere but the POST: not the URL, not storage, not the console.
    expect(window.location.href).toBe(hrefBefore);
    expect(JSON.stringify({ ...window.sessionStorage }) + JSON.stringify({ ...window.localStorage })).not.toContain('canary');
    for (const spy of [log, warn, error]) expect(JSON.stringify(spy.mock.calls)).not.toContain('canary');
    // Forgetting clears the field and the report.
    fireEvent.click(screen.getByText('Forget the identifier'));
    expect((screen.getByLabelText('Subject identifier') as HTMLInputElement).value).toBe('');
    expect(screen.queryByText('churn-model')).toBeNull();
  });

  it('shows an erasure request from the answer of an item update, without reading it again', async () => {
    const item = (status: string, note: string | null) => ({ status, note, updatedAt: '2026-01-01T00:00:00.000Z', artifact: { id: 'a1', name: 'crm', type: { name: 'People', baseType: 'DATASET' } } });
    const request = (status: string, note: string | null) => ({
      id: 'req-1', createdAt: '2026-01-01T00:00:00.000Z', reason: 'ticket 9', complete: status !== 'PENDING',
      progress: { total: 1, pending: status === 'PENDING' ? 1 : 0, erased: 0, retrained: 0, exempt: status === 'EXEMPT' ? 1 : 0 },
      notCovered: [], items: [item(status, note)],
    });
    const sent = fakeServer('PRIVACY', {
      ErasureRequest: () => ({ erasureRequest: request('PENDING', null) }),
      UpdateErasureItem: (v) => ({ updateErasureItem: request(String(v.status), (v.note as string | null) ?? null) }),
    });
    view('#/privacy/erasure/req-1');
    await screen.findByText('pending');
    fireEvent.change(screen.getByLabelText('New status of crm'), { target: { value: 'EXEMPT' } });
    // EXEMPT needs a note: the button waits for one.
    expect((screen.getByText('Set') as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(screen.getByLabelText(/^Note/), { target: { value: 'Art. 17(3)(b)' } });
    await act(async () => { fireEvent.click(screen.getByText('Set')); });
    await screen.findByText('exempt', { selector: 'td' });
    expect(screen.getByText('Art. 17(3)(b)')).toBeTruthy();
    expect(sent.map((s) => s.operationName)).toEqual(['Me', 'ErasureRequest', 'UpdateErasureItem']);
    expect(sent[2]!.variables).toEqual({ requestId: 'req-1', artifactId: 'a1', status: 'EXEMPT', note: 'Art. 17(3)(b)' });
    expect(document.querySelector('.erasure-request')?.getAttribute('data-complete')).toBe('true');
  });
});
