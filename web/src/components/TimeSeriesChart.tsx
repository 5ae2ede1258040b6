// A small line chart in plain SVG: one value per time bucket for each
// series, a gap where a bucket has no value, the y axis from zero (or the
// lowest value, when negative) to a round number above the highest. Every
// point names its bucket and value on hover, and the numbers are also in a
// table one click away for screen readers and copying.
import { useId } from 'react';

export interface Bucket {
  start: number; // ms since the epoch, inclusive
  end: number; // exclusive
  label: string; // short label on the x axis
}

export interface Series {
  name: string;
  values: (number | null)[]; // one per bucket
  className: string; // colour and dash, from styles.css
}

const W = 420;
const H = 180;
const PAD = { left: 56, right: 12, top: 10, bottom: 28 };

// A step of 1, 2 or 5 × 10^k by default; callers with units (durations) pass their own.
function defaultStep(span: number): number {
  const raw = span / 4;
  const p = Math.pow(10, Math.floor(Math.log10(raw)));
  for (const m of [1, 2, 5, 10]) if (m * p >= raw) return m * p;
  return 10 * p;
}

export function TimeSeriesChart(props: {
  title: string;
  buckets: Bucket[];
  series: Series[];
  format: (v: number) => string;
  step?: (span: number) => number;
  emptyText: string;
  testid?: string;
}) {
  const { buckets, series, format } = props;
  const id = useId();
  const all = series.flatMap((s) => s.values.filter((v): v is number => v !== null));
  const pointCount = all.length;
  const lo = Math.min(0, ...all);
  const hiRaw = Math.max(0, ...all);
  const step = (props.step ?? defaultStep)(Math.max(hiRaw - lo, 1));
  const yMin = Math.floor(lo / step) * step;
  const yMax = Math.max(Math.ceil(hiRaw / step) * step, yMin + step);
  const innerW = W - PAD.left - PAD.right;
  const innerH = H - PAD.top - PAD.bottom;
  const n = Math.max(buckets.length, 1);
  const x = (i: number) => PAD.left + (innerW * (i + 0.5)) / n;
  const y = (v: number) => PAD.top + innerH - ((v - yMin) / (yMax - yMin)) * innerH;
  const ticks: number[] = [];
  for (let t = yMin; t <= yMax + step / 2; t += step) ticks.push(t);
  const labelEvery = Math.ceil(buckets.length / 7);

  // Lines break at buckets without a value.
  const segments = (values: (number | null)[]) => {
    const out: string[] = [];
    let cur: string[] = [];
    values.forEach((v, i) => {
      if (v === null) {
        if (cur.length) out.push(cur.join(' '));
        cur = [];
      } else cur.push(`${x(i).toFixed(1)},${y(v).toFixed(1)}`);
    });
    if (cur.length) out.push(cur.join(' '));
    return out;
  };

  return (
    <figure className="chart" data-testid={props.testid} data-points={pointCount}>
      <figcaption id={`${id}-title`}>{props.title}</figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby={`${id}-title`} preserveAspectRatio="xMidYMid meet">
        {ticks.map((t) => (
          <g key={t} className="chart-grid">
            <line x1={PAD.left} x2={W - PAD.right} y1={y(t)} y2={y(t)} />
            <text x={PAD.left - 6} y={y(t)} dy="0.32em" textAnchor="end">
              {format(t)}
            </text>
          </g>
        ))}
        {buckets.map((b, i) =>
          (buckets.length - 1 - i) % labelEvery === 0 ? (
            <text key={b.start} className="chart-xlabel" x={x(i)} y={H - PAD.bottom + 16} textAnchor="middle">
              {b.label}
            </text>
          ) : null,
        )}
        <line className="chart-axis" x1={PAD.left} x2={PAD.left} y1={PAD.top} y2={H - PAD.bottom} />
        <line className="chart-axis" x1={PAD.left} x2={W - PAD.right} y1={H - PAD.bottom} y2={H - PAD.bottom} />
        {/* The first series is drawn last, on top, where values coincide. */}
        {[...series].reverse().map((s) => (
          <g key={s.name} className={`chart-series ${s.className}`}>
            {segments(s.values).map((pts, i) => (
              <polyline key={i} points={pts} />
            ))}
            {s.values.map((v, i) =>
              v === null ? null : (
                <circle key={i} cx={x(i)} cy={y(v)} r={3.5} data-testid="chart-point">
                  <title>{`${s.name}, ${buckets[i].label}: ${format(v)}`}</title>
                </circle>
              ),
            )}
          </g>
        ))}
        {pointCount === 0 && (
          <text className="chart-empty" x={PAD.left + innerW / 2} y={PAD.top + innerH / 2} textAnchor="middle">
            {props.emptyText}
          </text>
        )}
      </svg>
      <div className="chart-legend">
        {series.map((s) => (
          <span key={s.name} className={`chart-key ${s.className}`}>
            <svg width="22" height="8" aria-hidden="true">
              <line x1="0" x2="22" y1="4" y2="4" />
            </svg>
            {s.name}
          </span>
        ))}
      </div>
      <details className="chart-data">
        <summary>Numbers</summary>
        <table className="list compact">
          <thead>
            <tr>
              <th scope="col">From</th>
              {series.map((s) => (
                <th key={s.name} scope="col">
                  {s.name}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {buckets.map((b, i) => (
              <tr key={b.start}>
                <td>{new Date(b.start).toLocaleString(undefined, { hour12: false })}</td>
                {series.map((s) => (
                  <td key={s.name}>{s.values[i] === null ? '—' : format(s.values[i] as number)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
