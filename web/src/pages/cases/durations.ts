// Durations on chart axes: short labels and round steps (1 s, 5 min, 1 h…).

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;
const STEPS = [1, 2, 5, 10, 20, 50, 100, 200, 500, S, 2 * S, 5 * S, 10 * S, 15 * S, 30 * S, M, 2 * M, 5 * M, 10 * M, 15 * M, 30 * M, H, 2 * H, 3 * H, 6 * H, 12 * H, D, 2 * D, 7 * D, 14 * D, 30 * D];

export function durationStep(span: number): number {
  const raw = span / 4;
  return STEPS.find((s) => s >= raw) ?? Math.ceil(raw / (30 * D)) * 30 * D;
}

export function shortDuration(ms: number): string {
  const sign = ms < 0 ? '−' : '';
  const a = Math.abs(ms);
  const r = (v: number) => String(Math.round(v * 10) / 10);
  if (a < S) return `${sign}${r(a)} ms`;
  if (a < M) return `${sign}${r(a / S)} s`;
  if (a < H) return `${sign}${r(a / M)} min`;
  if (a < D) return `${sign}${r(a / H)} h`;
  return `${sign}${r(a / D)} d`;
}
