// The roles and what each grants, as docs/security.md lists them (the server's
// list is src/atio/server/auth/permissions.cc). The UI uses it only to offer
// the roles a key may have; atio decides and refuses with 403 otherwise.
export const roles = ['viewer', 'author', 'analyst', 'auditor', 'admin'] as const;

const everyone = ['playbook.read', 'execution.read', 'case.read', 'trigger.read', 'knowledge.read', 'account.self'];

export const rolePermissions: Record<string, string[]> = {
  viewer: everyone,
  author: [...everyone, 'playbook.write', 'trigger.manage', 'knowledge.write'],
  analyst: [...everyone, 'execution.run', 'manual.answer', 'case.write'],
  auditor: [...everyone, 'audit.read', 'metrics.read'],
  admin: [
    ...everyone,
    'playbook.write', 'execution.run', 'manual.answer', 'case.write', 'trigger.manage', 'knowledge.write',
    'audit.read', 'admin.users', 'playbook.protect', 'secret.manage', 'metrics.read',
  ],
};

export const roleSummary: Record<string, string> = {
  viewer: 'reads everything except the audit log',
  author: 'writes playbooks, webhooks, schedules, assets and policies; does not run them',
  analyst: 'runs playbooks, answers manual steps, works cases',
  auditor: 'reads, and also the audit log and the metrics',
  admin: 'may do everything',
};

// The roles whose every permission is among `permissions` (a key's role is at most its creator's).
export function rolesWithin(permissions: string[]): string[] {
  return roles.filter((r) => rolePermissions[r].every((p) => permissions.includes(p)));
}
