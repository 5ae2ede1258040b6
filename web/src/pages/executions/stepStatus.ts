// The live status of every step of a playbook in one execution, from the
// execution's step records: a step with no record is `pending` while the
// execution runs and `skipped` once it has ended; a running manual step that
// waits for a person is `waiting`; a step stopped by the execution's abort
// (atio records it failed with the abort as its error) is `aborted`. A step run several times (a loop, a
// parallel branch) shows its most telling record: running or waiting first,
// then failed, then the latest.
import type { StepRecord, StepStatus } from '../../api/types';
import { formatDuration } from '../../components/format';
import { hasEnded, type ExecutionDetail } from './types';

// The status of one record as the UI shows it.
export function recordStatus(exec: ExecutionDetail, rec: StepRecord): StepStatus {
  const waitingKeys = new Set((exec.manual_steps ?? []).map((m) => m.step_key));
  if (rec.status === 'running' && waitingKeys.has(rec.step_key)) return 'waiting';
  if (exec.status === 'aborted') {
    if (rec.status === 'running') return 'aborted';
    if (rec.status === 'failed' && rec.error === exec.error) return 'aborted';
  }
  return rec.status as StepStatus;
}

const rank: Record<string, number> = { waiting: 6, running: 5, failed: 4, aborted: 3, succeeded: 2, skipped: 1, pending: 0 };

function later(a: StepRecord, b: StepRecord): boolean {
  return (a.started_at ?? '') > (b.started_at ?? '');
}

// step id -> the record that speaks for the step on the graph.
export function representativeRecords(exec: ExecutionDetail): Map<string, StepRecord> {
  const out = new Map<string, StepRecord>();
  for (const rec of exec.steps) {
    const cur = out.get(rec.step_id);
    if (!cur) {
      out.set(rec.step_id, rec);
      continue;
    }
    const rc = rank[recordStatus(exec, cur)] ?? 0;
    const rn = rank[recordStatus(exec, rec)] ?? 0;
    if (rn > rc || (rn === rc && later(rec, cur))) out.set(rec.step_id, rec);
  }
  return out;
}

// The status to show for a step that has no record.
export function unreachedStatus(exec: ExecutionDetail): StepStatus {
  return hasEnded(exec.status) ? 'skipped' : 'pending';
}

// For PlaybookGraph's `statuses`: every step of the workflow.
export function graphStatuses(
  exec: ExecutionDetail,
  stepIds: string[],
): Record<string, { status: string; detail?: string }> {
  const reps = representativeRecords(exec);
  const counts = new Map<string, number>();
  for (const r of exec.steps) counts.set(r.step_id, (counts.get(r.step_id) ?? 0) + 1);
  const out: Record<string, { status: string; detail?: string }> = {};
  for (const id of stepIds) {
    const rec = reps.get(id);
    if (!rec) {
      out[id] = { status: unreachedStatus(exec) };
      continue;
    }
    const n = counts.get(id) ?? 1;
    const parts = [rec.duration_ms !== null ? formatDuration(rec.duration_ms) : '', n > 1 ? `${n} runs` : ''];
    out[id] = { status: recordStatus(exec, rec), detail: parts.filter(Boolean).join(' · ') || undefined };
  }
  return out;
}
