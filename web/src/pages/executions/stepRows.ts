// The rows of the step table: every step record in the order it started
// (ties in the order the workflow reaches the steps), then the steps of the
// playbook that have no record (pending while the execution runs, skipped
// once it has ended).
import type { StepRecord, StepStatus } from '../../api/types';
import { stepEdges, stepLabel, type CacaoPlaybook } from '../../graph/cacao';
import { recordStatus, unreachedStatus } from './stepStatus';
import type { ExecutionDetail } from './types';

export interface StepRow {
  key: string; // the record's step_key, or the step id for a step with no record
  stepId: string;
  name: string;
  type: string;
  status: StepStatus;
  record: StepRecord | null;
}

// Step id -> its place in a breadth-first walk from workflow_start.
function workflowOrder(doc: CacaoPlaybook | undefined): Map<string, number> {
  const order = new Map<string, number>();
  const workflow = doc?.workflow ?? {};
  const queue = doc?.workflow_start ? [doc.workflow_start] : [];
  while (queue.length) {
    const id = queue.shift()!;
    if (order.has(id) || !workflow[id]) continue;
    order.set(id, order.size);
    for (const e of stepEdges(id, workflow[id])) queue.push(e.target);
  }
  for (const id of Object.keys(workflow)) if (!order.has(id)) order.set(id, order.size);
  return order;
}

export function stepRows(exec: ExecutionDetail, doc: CacaoPlaybook | undefined): StepRow[] {
  const workflow = doc?.workflow ?? {};
  const nameOf = (id: string) => (workflow[id] ? stepLabel(workflow[id]) : id);
  const order = workflowOrder(doc);
  const place = (id: string) => order.get(id) ?? order.size;
  const time = (t: string | null) => t ?? '\uffff';
  const records = [...exec.steps].sort(
    (a, b) =>
      time(a.started_at).localeCompare(time(b.started_at)) ||
      time(a.finished_at).localeCompare(time(b.finished_at)) ||
      place(a.step_id) - place(b.step_id) ||
      a.step_key.localeCompare(b.step_key),
  );
  const rows: StepRow[] = records.map((r) => ({
    key: r.step_key,
    stepId: r.step_id,
    name: nameOf(r.step_id),
    type: r.type,
    status: recordStatus(exec, r),
    record: r,
  }));
  const seen = new Set(records.map((r) => r.step_id));
  const unreached = Object.keys(workflow).filter((id) => !seen.has(id));
  unreached.sort((a, b) => place(a) - place(b));
  for (const id of unreached) {
    const step = workflow[id];
    rows.push({ key: id, stepId: id, name: stepLabel(step), type: step.type, status: unreachedStatus(exec), record: null });
  }
  return rows;
}
