/**
 * Who the explorer is talking as: the role and permissions the server reports for the
 * session's key (Query.me), so views the key may not use are hidden rather than shown and
 * refused. The server still decides every request (src/server/authorization.ts).
 */
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { request } from '../api/graphql-client';
import { readSessionKey, writeSessionKey } from '../api/session-key';

export type Permission = 'READ' | 'WRITE' | 'PRIVACY' | 'KEYS';

export interface CallerInfo {
  role: 'VIEWER' | 'EDITOR' | 'PRIVACY' | 'ADMIN';
  permissions: Permission[];
  /** True in open local mode (no key was given and the server takes none). */
  anonymous: boolean;
}

export interface CallerState {
  caller: CallerInfo | null;
  /** Why the caller is unknown: no key where one is needed, a refused key, an unreachable server. */
  error: string | null;
  hasKey: boolean;
  can(permission: Permission): boolean;
  /** Keeps a key for this browser session (or forgets it, with null) and asks again who we are. */
  setKey(key: string | null): void;
}

export const ME_QUERY = /* GraphQL */ `
  query Me {
    me { role permissions anonymous }
  }
`;

const CallerContext = createContext<CallerState | null>(null);

export function CallerProvider({ children }: { children: ReactNode }): ReactNode {
  const [generation, setGeneration] = useState(0);
  const [caller, setCaller] = useState<CallerInfo | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [hasKey, setHasKey] = useState(() => readSessionKey() !== null);

  useEffect(() => {
    let live = true;
    request<{ me: CallerInfo }>(ME_QUERY).then(
      (data) => { if (live) { setCaller(data.me); setError(null); } },
      (e: unknown) => { if (live) { setCaller(null); setError(e instanceof Error ? e.message : String(e)); } },
    );
    return () => { live = false; };
  }, [generation]);

  const setKey = useCallback((key: string | null) => {
    writeSessionKey(key);
    setHasKey(readSessionKey() !== null);
    setGeneration((g) => g + 1);
  }, []);

  const can = useCallback((permission: Permission) => caller?.permissions.includes(permission) ?? false, [caller]);
  return <CallerContext.Provider value={{ caller, error, hasKey, can, setKey }}>{children}</CallerContext.Provider>;
}

export function useCaller(): CallerState {
  const state = useContext(CallerContext);
  if (!state) throw new Error('useCaller outside CallerProvider');
  return state;
}
