// Shapes of atio's API answers that the UI reads (docs/api.md; the full
// description is GET /api/v1/openapi.json).

export interface Me {
  kind: 'key' | 'user';
  id: string;
  name: string;
  role: string;
  permissions: string[];
  expires_at: string | null;
  user_id: string | null;
  session?: { id: string; expires_at: string; csrf_token: string };
}

export interface PlaybookSummary {
  id: string;
  name: string;
  version: string;
  created_at: string;
  updated_at: string;
  description?: string;
  protected: boolean;
}

export type StepStatus = 'pending' | 'running' | 'waiting' | 'succeeded' | 'failed' | 'skipped' | 'aborted';

export interface StepRecord {
  step_key: string;
  step_id: string;
  type: string;
  status: string;
  started_at: string | null;
  finished_at: string | null;
  duration_ms: number | null;
  inputs: unknown;
  outputs: unknown;
  variables: unknown;
  branch: string;
  error: string;
}

export interface ExecutionSummary {
  id: string;
  playbook_id: string;
  playbook_version: string;
  status: string;
  trigger: { kind: string; by?: string };
  error: string;
  created_at: string;
  finished_at: string | null;
  duration_ms: number | null;
  /** The node that runs (or ran) it, GET /api/v1/nodes; "" before atio knew nodes. */
  node?: string;
}

export interface Execution extends ExecutionSummary {
  variables: Record<string, unknown>;
  steps: StepRecord[];
}

export interface Paged {
  next: string | number | null;
}
