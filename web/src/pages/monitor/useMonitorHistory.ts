// The stored notifications, newest first (GET /monitor/events?order=desc,
// paged with `before`). `newest` is the newest seq when the history first
// loaded (0: none): the live feed continues after it, so nothing is missed
// between the two.
import { useEffect, useState } from 'react';
import { usePaged } from '../../api/hooks';
import type { Notification } from './types';

export function useMonitorHistory(pageSize = 20) {
  const p = usePaged<Notification>('/monitor/events', 'events', { order: 'desc' }, pageSize, 'before');
  const [newest, setNewest] = useState<number | null>(null);
  useEffect(() => {
    if (newest === null && p.page === 1 && p.data) setNewest(p.items[0]?.seq ?? 0);
  }, [p.data]); // eslint-disable-line react-hooks/exhaustive-deps
  return {
    newest,
    items: p.items,
    loading: p.loading,
    error: p.error,
    page: p.page,
    hasNewer: p.hasPrev,
    hasOlder: p.hasNext,
    newer: p.back,
    older: p.forward,
    reload: p.reload,
  };
}
