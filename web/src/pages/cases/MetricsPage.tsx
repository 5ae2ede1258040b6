// Response times: MTTD, MTTA and MTTR of the cases over time, one small
// chart each (median and 90th percentile per bucket), and the aggregates of
// the whole range (count, mean, median, p90), optionally grouped.
import { useState } from 'react';
import { DataState } from '../../components/DataState';
import { TimeSeriesChart, type Series } from '../../components/TimeSeriesChart';
import { formatDuration } from '../../components/format';
import { usePlaybookNames } from '../../components/usePlaybookNames';
import { CasesNav } from './CasesNav';
import { durationStep, shortDuration } from './durations';
import { RANGES, useBucketedMetrics, type RangeKey } from './metricBuckets';
import type { CaseMetrics, DurationStats, MetricsGroup } from './types';

type MetricKey = 'mttd' | 'mtta' | 'mttr';
const METRICS: { key: MetricKey; name: string; what: string }[] = [
  { key: 'mttd', name: 'MTTD', what: 'time to detect: detected − occurred' },
  { key: 'mtta', name: 'MTTA', what: 'time to acknowledge: acknowledged − detected' },
  { key: 'mttr', name: 'MTTR', what: 'time to respond: responded (or resolved) − detected' },
];

function seriesOf(perBucket: CaseMetrics[], key: MetricKey): Series[] {
  const pick = (f: (s: DurationStats) => number) =>
    perBucket.map((m) => (m.overall[key].count > 0 ? f(m.overall[key]) : null));
  return [
    { name: 'median', values: pick((s) => s.median_ms), className: 'series-median' },
    { name: '90th percentile', values: pick((s) => s.p90_ms), className: 'series-p90' },
  ];
}

function StatCells({ s, testid }: { s: DurationStats; testid: string }) {
  if (s.count === 0)
    return (
      <td colSpan={4} className="muted" data-testid={testid} data-count={0}>
        no case has it yet
      </td>
    );
  return (
    <>
      <td data-testid={testid} data-count={s.count}>
        {s.count}
      </td>
      <td data-ms={s.mean_ms}>{formatDuration(Math.round(s.mean_ms))}</td>
      <td data-ms={s.median_ms}>{formatDuration(Math.round(s.median_ms))}</td>
      <td data-ms={s.p90_ms}>{formatDuration(Math.round(s.p90_ms))}</td>
    </>
  );
}

function AggregatesTable({ m, groupLabel }: { m: CaseMetrics; groupLabel: (key: string) => string }) {
  const rows: [string, MetricsGroup][] = [['All cases', m.overall], ...(m.group_by === 'none' ? [] : m.groups.map((g) => [groupLabel(g.key), g] as [string, MetricsGroup]))];
  return (
    <div className="table-wrap">
      <table className="list compact aggregates" data-testid="metrics-aggregates">
        <thead>
          <tr>
            <th scope="col" rowSpan={2}>
              {m.group_by === 'none' ? '' : m.group_by.replace('_', ' ')}
            </th>
            <th scope="col" rowSpan={2}>
              Cases
            </th>
            {METRICS.map((x) => (
              <th key={x.key} scope="colgroup" colSpan={4} title={x.what}>
                {x.name}
              </th>
            ))}
          </tr>
          <tr>
            {METRICS.map((x) => ['count', 'mean', 'median', 'p90'].map((h) => <th key={x.key + h} scope="col">{h}</th>))}
          </tr>
        </thead>
        <tbody>
          {rows.map(([label, g], i) => (
            <tr key={label + i}>
              <th scope="row">{label}</th>
              <td data-testid={i === 0 ? 'metrics-cases' : undefined}>{g.cases}</td>
              {METRICS.map((x) => (
                <StatCells key={x.key} s={g[x.key]} testid={i === 0 ? `aggregate-${x.key}` : `group-${x.key}`} />
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function MetricsPage() {
  const [range, setRange] = useState<RangeKey>('24h');
  const [mttrEnd, setMttrEnd] = useState('');
  const [groupBy, setGroupBy] = useState('none');
  const [tick, setTick] = useState(0);
  const { names } = usePlaybookNames();
  const m = useBucketedMetrics(range, mttrEnd, groupBy, tick);
  const per = RANGES.find((r) => r.key === range)!.per;
  const groupLabel = (key: string) => (groupBy === 'playbook' ? names.get(key) ?? (key || '(no playbook)') : key || '(none)');
  return (
    <section>
      <h1>Response times</h1>
      <CasesNav />
      <form className="toolbar" aria-label="Chart range" onSubmit={(e) => e.preventDefault()}>
        <label>
          Range
          <select value={range} onChange={(e) => setRange(e.target.value as RangeKey)} name="range">
            {RANGES.map((r) => (
              <option key={r.key} value={r.key}>
                {r.label} ({r.per})
              </option>
            ))}
          </select>
        </label>
        <label>
          MTTR ends at
          <select value={mttrEnd} onChange={(e) => setMttrEnd(e.target.value)} name="mttr_end">
            <option value="">atio’s setting{m.overall ? ` (${m.overall.mttr_end})` : ''}</option>
            <option value="responded">response done</option>
            <option value="resolved">case closed</option>
          </select>
        </label>
        <label>
          Group the totals by
          <select value={groupBy} onChange={(e) => setGroupBy(e.target.value)} name="group_by">
            <option value="none">nothing</option>
            <option value="severity">severity</option>
            <option value="playbook">playbook</option>
            <option value="use_case">use case</option>
          </select>
        </label>
        <button type="button" onClick={() => setTick((t) => t + 1)}>
          Refresh
        </button>
      </form>
      <p className="muted how">
        Each point is atio’s own figure for the cases <em>detected</em> in that bucket ({per}), from one call of{' '}
        <code>GET /api/v1/cases/metrics?since=&amp;until=</code> per bucket: the median and the 90th percentile (nearest rank) of
        the cases that have that duration. A case counts in the bucket of its detection, even when it was acknowledged or
        responded to later; a bucket without such a case has no point. MTTA appears once cases are acknowledged, MTTR once
        their response is done.
      </p>
      <DataState what="response times" loading={m.loading && !m.perBucket} error={m.error} onRetry={() => setTick((t) => t + 1)}>
        {m.perBucket && m.overall && (
          <>
            <div className="charts">
              {METRICS.map((x) => (
                <TimeSeriesChart
                  key={x.key}
                  testid={`chart-${x.key}`}
                  title={`${x.name} — ${x.what}`}
                  buckets={m.buckets}
                  series={seriesOf(m.perBucket!, x.key)}
                  format={shortDuration}
                  step={durationStep}
                  emptyText={`No case detected in this range has an ${x.name} yet.`}
                />
              ))}
            </div>
            <h2>Totals for the range</h2>
            {m.overall.overall.cases === 0 ? (
              <p className="state empty">No case was detected in this range. Pick a longer range.</p>
            ) : (
              <AggregatesTable m={m.overall} groupLabel={groupLabel} />
            )}
          </>
        )}
      </DataState>
    </section>
  );
}
