// The variables of an execution as they stand: what it was started with,
// then what each finished step set (a step record's `variables`), in the order
// the steps finished. The API gives the starting variables and each step's
// changes; this is their sum.
import type { ExecutionDetail } from './types';

export function currentVariables(exec: ExecutionDetail): Record<string, unknown> {
  const out: Record<string, unknown> = { ...(exec.variables ?? {}) };
  const finished = exec.steps
    .filter((s) => s.finished_at && s.variables && typeof s.variables === 'object')
    .sort((a, b) => (a.finished_at ?? '').localeCompare(b.finished_at ?? ''));
  for (const s of finished) Object.assign(out, s.variables as Record<string, unknown>);
  return out;
}
