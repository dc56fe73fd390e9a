// @vitest-environment jsdom
/**
 * A node's page as a component: one NodePage request, with personal data asked for only
 * when the caller may read it; a `javascript:` URI is text, an https URI a link; a hostile
 * name is text.
 */
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CallerProvider } from '../src/app/caller';
import { parseRoute } from '../src/app/routes';
import { NodeView } from '../src/views/NodeView';

afterEach(() => { cleanup(); vi.unstubAllGlobals(); });

const HOSTILE = '<img src=x onerror="window.__pwned=1">';

function artifact(uri: string) {
  return {
    __typename: 'Artifact', id: 'a1', mlmdId: 1, name: HOSTILE, uri, externalId: null, state: 'LIVE',
    createTime: '2026-01-01T00:00:00.000Z', updateTime: '2026-01-01T00:00:00.000Z',
    properties: { span: 1 }, customProperties: { [HOSTILE]: { nested: [HOSTILE] } },
    type: { name: 'Examples', version: null, artifactBaseType: 'DATASET' },
    producedBy: [], consumedBy: [], events: [], contexts: [], history: [], versions: { totalCount: 0, nodes: [] },
  };
}

function serve(permissions: string[], uri: string): { variables: Record<string, unknown>[] } {
  const seen: { variables: Record<string, unknown>[] } = { variables: [] };
  vi.stubGlobal('fetch', vi.fn(async (_url: string, init: RequestInit) => {
    const body = JSON.parse(String(init.body)) as { operationName: string; variables: Record<string, unknown> };
    const data = body.operationName === 'Me'
      ? { me: { role: 'VIEWER', permissions, anonymous: false } }
      : (seen.variables.push(body.variables), { node: artifact(uri) });
    return new Response(JSON.stringify({ data }), { status: 200, headers: { 'content-type': 'application/json' } });
  }));
  return seen;
}

describe('NodeView', () => {
  it('shows a javascript: URI as text and a hostile name as text, asking once without personal data', async () => {
    const seen = serve(['READ'], 'javascript:alert(1)');
    const { container } = render(<CallerProvider><NodeView route={parseRoute('#/node/a1')} /></CallerProvider>);
    await waitFor(() => expect(screen.getByTestId('node-uri').textContent).toBe('javascript:alert(1)'));
    expect(screen.getByTestId('node-uri').querySelector('a')).toBeNull();
    expect(screen.getByTestId('node-name').textContent).toBe(HOSTILE);
    expect(container.querySelector('img')).toBeNull();
    expect(container.textContent).toContain(`"nested": [\n    "${HOSTILE.replace(/"/g, '\\"')}"`);
    expect(seen.variables).toEqual([{ id: 'a1', privacy: false }]);
  });

  it('links an https URI and asks for personal data when the caller may read it', async () => {
    const seen = serve(['READ', 'PRIVACY'], 'https://data.example/x');
    render(<CallerProvider><NodeView route={parseRoute('#/node/a1')} /></CallerProvider>);
    await waitFor(() => expect(screen.getByTestId('node-uri').querySelector('a')?.getAttribute('href')).toBe('https://data.example/x'));
    expect(seen.variables.at(-1)).toEqual({ id: 'a1', privacy: true });
  });
});
