// Shapes of the audit log's API (docs/audit.md).

export interface AuditRecord {
  seq: number;
  time: string;
  time_ms: number;
  actor: string;
  actor_kind: string; // key, user, hook, anonymous, system
  actor_name: string;
  role: string;
  source_ip: string;
  user_agent: string;
  action: string;
  object_type: string;
  object_id: string;
  outcome: 'success' | 'failure' | 'denied' | string;
  detail: Record<string, unknown>;
  detail_text: string;
  prev_hash: string;
  hash: string;
}

export interface AuditHead {
  seq: number;
  hash: string;
  last_checkpoint: { seq: number; hash: string; time: string; public_key: string } | null;
}

export interface VerifyProblem {
  kind: string; // edited, deleted, inserted, reordered, truncated, bad_signature, unknown_key
  seq: number;
  message: string;
}

export interface VerifyReport {
  ok: boolean;
  records: number;
  checkpoints: number;
  head_seq: number;
  head_hash: string;
  last_checkpoint_seq: number;
  key_trusted: boolean;
  problems: VerifyProblem[];
  summary: string;
}

// The actions atio records (docs/audit.md), offered as suggestions in the filter.
export const AUDIT_ACTIONS = [
  'auth.login', 'auth.logout', 'auth.failure',
  'playbook.create', 'playbook.import', 'playbook.update', 'playbook.delete', 'playbook.restore',
  'playbook.protect', 'playbook.unprotect', 'playbook.recover',
  'execution.start', 'execution.abort', 'manual_step.answer',
  'case.open', 'case.update', 'case.acknowledge', 'case.assign', 'case.status', 'case.comment', 'case.respond', 'case.link',
  'hook.create', 'hook.delete', 'hook.trigger', 'schedule.create', 'schedule.delete',
  'monitor_trigger.create', 'monitor_trigger.delete',
  'asset.create', 'asset.update', 'asset.delete', 'policies.update', 'risk_model.update',
  'user.create', 'user.update', 'user.password', 'apikey.create', 'apikey.revoke',
  'secret.put', 'secret.delete', 'secret.use', 'audit.verify', 'audit.export',
];

export const OBJECT_TYPES = ['playbook', 'execution', 'case', 'hook', 'schedule', 'monitor_trigger', 'asset', 'policies', 'risk_model', 'user', 'apikey', 'secret', 'session', 'audit', 'route'];

// Where the UI shows an object of the log, when it has a page for it.
export function objectPath(type: string, id: string): string | null {
  if (!id) return null;
  if (type === 'playbook') return `/playbooks/${id}`;
  if (type === 'execution') return `/executions/${id}`;
  if (type === 'case') return `/cases/${id}`;
  return null;
}
