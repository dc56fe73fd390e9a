import { useEffect, useState } from 'react';
import { request, type ApiError, type Variables } from './graphql-client';

export interface QueryState<T> {
  data: T | null;
  error: ApiError | Error | null;
  loading: boolean;
}

/**
 * Runs one operation when its variables change (compared as JSON) and cancels the one
 * before; `skip` leaves the state empty (a form not yet filled in).
 */
export function useQuery<T>(query: string, variables: Variables, skip = false): QueryState<T> {
  const key = JSON.stringify(variables);
  const [state, setState] = useState<QueryState<T>>({ data: null, error: null, loading: !skip });
  useEffect(() => {
    if (skip) {
      setState({ data: null, error: null, loading: false });
      return undefined;
    }
    const controller = new AbortController();
    setState((s) => ({ data: s.data, error: null, loading: true }));
    request<T>(query, JSON.parse(key) as Variables, controller.signal).then(
      (data) => { if (!controller.signal.aborted) setState({ data, error: null, loading: false }); },
      (error: unknown) => {
        if (!controller.signal.aborted) setState({ data: null, error: error instanceof Error ? error : new Error(String(error)), loading: false });
      },
    );
    return () => controller.abort();
  }, [query, key, skip]);
  return state;
}
