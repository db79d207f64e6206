import { useCallback, useEffect, useRef, useState } from 'react';
import { api, ApiError } from './api.ts';
import type { Query } from './api.ts';

/** Sets document.title to "<title> | Forewarn". */
export function usePageTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} | Forewarn`;
  }, [title]);
}

export interface Resource<T> {
  data: T | undefined;
  error: ApiError | undefined;
  loading: boolean;
  reload: () => void;
}

/** GETs an API path (relative to /api/v1) and re-fetches when the path or query changes. */
export function useResource<T>(path: string | null, query?: Query): Resource<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<ApiError>();
  const [loading, setLoading] = useState(path !== null);
  const [tick, setTick] = useState(0);
  const queryKey = JSON.stringify(query ?? {});
  const queryRef = useRef(query);
  queryRef.current = query;

  useEffect(() => {
    if (path === null) return;
    const controller = new AbortController();
    setLoading(true);
    setError(undefined);
    api<T>(path, { query: queryRef.current, signal: controller.signal })
      .then((value) => {
        setData(value);
        setLoading(false);
      })
      .catch((err: unknown) => {
        if (controller.signal.aborted) return;
        setError(err instanceof ApiError ? err : new ApiError({ type: 'about:blank', title: String(err), status: 0 }));
        setLoading(false);
      });
    return () => controller.abort();
  }, [path, queryKey, tick]);

  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data, error, loading, reload };
}

/** Wraps an async action with pending/error/done state for forms. */
export function useAction<A extends unknown[], R>(fn: (...args: A) => Promise<R>) {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<ApiError>();
  const fnRef = useRef(fn);
  fnRef.current = fn;

  const run = useCallback(async (...args: A): Promise<R | undefined> => {
    setPending(true);
    setError(undefined);
    try {
      return await fnRef.current(...args);
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError({ type: 'about:blank', title: 'Something went wrong', status: 0, detail: String(err) }));
      return undefined;
    } finally {
      setPending(false);
    }
  }, []);

  const reset = useCallback(() => setError(undefined), []);
  return { run, pending, error, reset };
}
