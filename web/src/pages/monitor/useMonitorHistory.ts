// The stored notifications, newest page first. atio lists them oldest first
// by seq (GET /monitor/events?after=&limit=) and says nothing of the newest
// seq, so the page first finds it with a few one-item requests (doubling,
// then halving: about 2·log2(n) of them), then reads the page of seqs
// (after, after + size] counting back from it. A gap in the seqs only makes a
// page shorter; nothing is skipped.
import { useCallback, useEffect, useState } from 'react';
import { api } from '../../api/client';
import type { Notification } from './types';

interface Listed {
  events: Notification[];
  next: number | null;
}

// The seq of the first notification after `after`, or null when none.
async function firstAfter(after: number): Promise<number | null> {
  const r = await api.get<Listed>('/monitor/events', { after, limit: 1 });
  return r.events.length ? r.events[0].seq : null;
}

// The newest seq (0 when there is none). lo always exists; nothing is past hi.
export async function findNewestSeq(): Promise<number> {
  let lo = await firstAfter(0);
  if (lo === null) return 0;
  let hi: number | null = null;
  let step = 64;
  for (;;) {
    if (hi !== null && hi <= lo) return lo;
    const probe: number = hi === null ? lo + step : Math.floor((lo + hi) / 2);
    const s = await firstAfter(probe);
    if (s === null) hi = probe;
    else {
      lo = s;
      if (hi === null) step *= 2;
    }
  }
}

export function useMonitorHistory(pageSize = 20) {
  // An object, so that finding the same seq again still reloads the page.
  const [found, setFound] = useState<{ seq: number } | null>(null);
  const newest = found?.seq ?? null;
  const [page, setPage] = useState(0); // 0: the newest page
  const [items, setItems] = useState<Notification[]>([]);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const [tick, setTick] = useState(0);

  useEffect(() => {
    let cancelled = false;
    setLoading(true);
    setError(null);
    findNewestSeq()
      .then((n) => {
        if (cancelled) return;
        setFound({ seq: n });
        setPage(0);
      })
      .catch((e) => {
        if (cancelled) return;
        setError(e);
        setLoading(false);
      });
    return () => {
      cancelled = true;
    };
  }, [tick]);

  const after = newest === null ? null : newest - pageSize * (page + 1);
  useEffect(() => {
    if (newest === null || after === null) return;
    setError(null);
    if (newest === 0) {
      setItems([]);
      setLoading(false);
      return;
    }
    const ctl = new AbortController();
    setLoading(true);
    const limit = pageSize + Math.min(0, after);
    api
      .get<Listed>('/monitor/events', { after: Math.max(0, after), limit }, ctl.signal)
      .then((r) => {
        setItems([...r.events].reverse());
        setLoading(false);
      })
      .catch((e) => {
        if (ctl.signal.aborted) return;
        setError(e);
        setLoading(false);
      });
    return () => ctl.abort();
  }, [found, after, pageSize]); // eslint-disable-line react-hooks/exhaustive-deps

  return {
    newest, // the newest seq when the page loaded: the live feed continues after it
    items,
    loading,
    error,
    page: page + 1,
    hasNewer: page > 0,
    hasOlder: after !== null && after > 0,
    newer: () => setPage((p) => Math.max(0, p - 1)),
    older: () => setPage((p) => p + 1),
    reload: useCallback(() => setTick((t) => t + 1), []),
  };
}
