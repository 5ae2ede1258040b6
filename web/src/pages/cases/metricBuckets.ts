// Time buckets for the response-time charts, and one GET /cases/metrics per
// bucket: atio computes each bucket's MTTD/MTTA/MTTR itself (the cases
// detected in [start, end)), so the charts show atio's own figures rather
// than numbers recomputed in the browser from a partial list of cases.
import { useEffect, useMemo, useState } from 'react';
import { api } from '../../api/client';
import type { Bucket } from '../../components/TimeSeriesChart';
import type { CaseMetrics } from './types';

export type RangeKey = '1h' | '24h' | '7d' | '30d';

export const RANGES: { key: RangeKey; label: string; per: string }[] = [
  { key: '1h', label: 'Last hour', per: 'per 5 minutes' },
  { key: '24h', label: 'Last 24 hours', per: 'per hour' },
  { key: '7d', label: 'Last 7 days', per: 'per day' },
  { key: '30d', label: 'Last 30 days', per: 'per day' },
];

const MIN = 60_000;
const HOUR = 60 * MIN;

// Buckets end with the one that holds `now`, aligned to the local clock.
export function makeBuckets(range: RangeKey, now: number): Bucket[] {
  const pad = (n: number) => String(n).padStart(2, '0');
  const hm = (t: number) => `${pad(new Date(t).getHours())}:${pad(new Date(t).getMinutes())}`;
  const day = (t: number) => new Date(t).toLocaleDateString(undefined, { day: 'numeric', month: 'short' });
  if (range === '1h' || range === '24h') {
    const size = range === '1h' ? 5 * MIN : HOUR;
    const count = range === '1h' ? 12 : 24;
    const d = new Date(now);
    d.setSeconds(0, 0);
    if (range === '24h') d.setMinutes(0);
    else d.setMinutes(d.getMinutes() - (d.getMinutes() % 5));
    const lastStart = d.getTime();
    return Array.from({ length: count }, (_, i) => {
      const start = lastStart - (count - 1 - i) * size;
      return { start, end: start + size, label: hm(start) };
    });
  }
  const count = range === '7d' ? 7 : 30;
  const out: Bucket[] = [];
  const d = new Date(now);
  d.setHours(0, 0, 0, 0);
  d.setDate(d.getDate() - (count - 1));
  for (let i = 0; i < count; i++) {
    const start = d.getTime();
    d.setDate(d.getDate() + 1); // local days: 23 or 25 hours across a DST change
    out.push({ start, end: d.getTime(), label: day(start) });
  }
  return out;
}

async function inBatches<T, R>(items: T[], size: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size) out.push(...(await Promise.all(items.slice(i, i + size).map(fn))));
  return out;
}

export function useBucketedMetrics(range: RangeKey, mttrEnd: string, groupBy: string, tick: number) {
  const buckets = useMemo(() => makeBuckets(range, Date.now()), [range, tick]);
  const [perBucket, setPerBucket] = useState<CaseMetrics[] | null>(null);
  const [overall, setOverall] = useState<CaseMetrics | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  useEffect(() => {
    let cancelled = false;
    setLoading(true);
    setError(null);
    const q = (since: number, until: number, group_by = 'none') => ({ since, until, group_by, mttr_end: mttrEnd || undefined });
    const from = buckets[0].start;
    const to = buckets[buckets.length - 1].end;
    Promise.all([
      api.get<CaseMetrics>('/cases/metrics', q(from, to, groupBy)),
      inBatches(buckets, 6, (b) => api.get<CaseMetrics>('/cases/metrics', q(b.start, b.end))),
    ])
      .then(([all, each]) => {
        if (cancelled) return;
        setOverall(all);
        setPerBucket(each);
        setLoading(false);
      })
      .catch((e) => {
        if (cancelled) return;
        setError(e);
        setLoading(false);
      });
    return () => {
      cancelled = true;
    };
  }, [buckets, mttrEnd, groupBy]);
  return { buckets, perBucket, overall, error, loading };
}
