// Loading data for a page: useApi runs a GET and tracks loading and error;
// usePaged walks atio's `next` cursors one page at a time.
import { useCallback, useEffect, useRef, useState } from 'react';
import { api, type Query } from './client';

export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
}

// GET `path` (null: nothing yet) whenever it or the query changes.
export function useApi<T>(path: string | null, query?: Query): Loaded<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(path !== null);
  const [tick, setTick] = useState(0);
  const key = path === null ? null : path + JSON.stringify(query ?? {});
  const queryRef = useRef(query);
  queryRef.current = query;
  useEffect(() => {
    if (key === null || path === null) return;
    const ctl = new AbortController();
    setLoading(true);
    setError(null);
    api
      .get<T>(path, queryRef.current, ctl.signal)
      .then((d) => {
        setData(d);
        setLoading(false);
      })
      .catch((e) => {
        if (ctl.signal.aborted) return;
        setError(e);
        setLoading(false);
      });
    return () => ctl.abort();
  }, [key, tick]); // eslint-disable-line react-hooks/exhaustive-deps
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data, error, loading, reload };
}

// Cursor paging over a list route answering {<field>: [...], next}: the
// `next` of a page goes back as `cursorParam` (`after`, or `before` for the
// logs read newest first with order=desc); back() returns to the page before.
export function usePaged<T>(path: string, field: string, query: Query, limit = 50, cursorParam = 'after') {
  const [cursors, setCursors] = useState<(string | number | null)[]>([null]);
  const cursor = cursors[cursors.length - 1];
  const key = JSON.stringify(query);
  useEffect(() => setCursors([null]), [key]);
  const loaded = useApi<Record<string, unknown>>(path, { ...query, limit, [cursorParam]: cursor ?? undefined });
  const items = (loaded.data?.[field] as T[] | undefined) ?? [];
  const next = (loaded.data?.next as string | number | null | undefined) ?? null;
  return {
    ...loaded,
    items,
    page: cursors.length,
    hasNext: next !== null,
    hasPrev: cursors.length > 1,
    forward: () => next !== null && setCursors((c) => [...c, next]),
    back: () => setCursors((c) => (c.length > 1 ? c.slice(0, -1) : c)),
  };
}
