// Shapes the executions pages read beyond api/types.ts: the detail of an
// execution carries the manual steps that wait for a person (docs/api.md).
import type { Execution } from '../../api/types';

export interface ManualStep {
  execution_id: string;
  step_key: string;
  step_id: string;
  step_name: string;
  playbook_id: string;
  command: string;
  description: string;
  in_args: Record<string, unknown>;
  created_at: string;
}

export interface ExecutionDetail extends Execution {
  manual_steps?: ManualStep[];
}

export const executionStatuses = ['pending', 'running', 'succeeded', 'failed', 'aborted'] as const;

// An execution in one of these statuses changes no more.
export function hasEnded(status: string): boolean {
  return status === 'succeeded' || status === 'failed' || status === 'aborted';
}
