// @vitest-environment jsdom
/**
 * The Access view: a pasted key goes to sessionStorage only (never localStorage), is sent
 * as a Bearer token, and the role the server reports is shown.
 */
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CallerProvider } from '../src/app/caller';
import { parseRoute } from '../src/app/routes';
import { AccessView } from '../src/views/AccessView';

afterEach(() => { cleanup(); vi.unstubAllGlobals(); window.sessionStorage.clear(); window.localStorage.clear(); });

describe('AccessView', () => {
  it('keeps a pasted key for the session only and shows the role the server reports for it', async () => {
    const seen: (string | null)[] = [];
    vi.stubGlobal('fetch', vi.fn(async (_url: string, init: RequestInit) => {
      const auth = new Headers(init.headers).get('authorization');
      seen.push(auth);
      const me = auth ? { role: 'PRIVACY', permissions: ['READ', 'PRIVACY'], anonymous: false } : { role: 'EDITOR', permissions: ['READ', 'WRITE'], anonymous: true };
      return new Response(JSON.stringify({ data: { me } }), { status: 200, headers: { 'content-type': 'application/json' } });
    }));
    render(<CallerProvider><AccessView route={parseRoute('#/access')} reason={null} /></CallerProvider>);
    await waitFor(() => expect(screen.getByTestId('caller-role').textContent).toBe('editor'));
    fireEvent.change(screen.getByLabelText('API key'), { target: { value: ' djk_abc_secret ' } });
    fireEvent.click(screen.getByText('Use this key'));
    await waitFor(() => expect(screen.getByTestId('caller-role').textContent).toBe('privacy'));
    expect(seen).toEqual([null, 'Bearer djk_abc_secret']);
    expect(window.sessionStorage.getItem('data-journey.api-key')).toBe('djk_abc_secret');
    expect(window.localStorage.length).toBe(0);
    expect(window.location.href).not.toContain('djk_');
  });
});
