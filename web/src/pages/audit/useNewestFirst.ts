// The audit log newest first. atio lists it oldest first (after=<seq>, limit),
// which the filtered view follows with its `next` cursor. Unfiltered, the
// log can also be read newest first: seqs run 1, 2, 3… without gaps
// (docs/audit.md) and GET /audit/head gives the newest, so page p holds the
// seqs (head − size·(p+1), head − size·p]. With a filter that arithmetic
// does not hold, so newest first is offered only without one.
import { useEffect, useState } from 'react';
import { api } from '../../api/client';
import type { AuditHead, AuditRecord } from './types';

interface Listed {
  records: AuditRecord[];
  next: number | null;
}

export function useNewestFirst(size: number, tick: number) {
  // An object, so that finding the same head again still reloads the page.
  const [found, setFound] = useState<{ seq: number } | null>(null);
  const head = found?.seq ?? null;
  const [page, setPage] = useState(0);
  const [items, setItems] = useState<AuditRecord[]>([]);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    let cancelled = false;
    setLoading(true);
    setError(null);
    api
      .get<AuditHead>('/audit/head')
      .then((h) => {
        if (cancelled) return;
        setFound({ seq: h.seq });
        setPage(0);
      })
      .catch((e) => {
        if (!cancelled) {
          setError(e);
          setLoading(false);
        }
      });
    return () => {
      cancelled = true;
    };
  }, [tick]);
  const after = head === null ? null : head - size * (page + 1);
  useEffect(() => {
    if (head === null || after === null) return;
    if (head === 0) {
      setItems([]);
      setLoading(false);
      return;
    }
    const ctl = new AbortController();
    setLoading(true);
    api
      .get<Listed>('/audit', { after: Math.max(0, after), limit: size + Math.min(0, after) }, ctl.signal)
      .then((r) => {
        setItems([...r.records].reverse());
        setLoading(false);
      })
      .catch((e) => {
        if (ctl.signal.aborted) return;
        setError(e);
        setLoading(false);
      });
    return () => ctl.abort();
  }, [found, after, size]); // eslint-disable-line react-hooks/exhaustive-deps
  return {
    items,
    loading,
    error,
    page: page + 1,
    hasPrev: page > 0,
    hasNext: after !== null && after > 0,
    back: () => setPage((p) => Math.max(0, p - 1)),
    forward: () => setPage((p) => p + 1),
  };
}
