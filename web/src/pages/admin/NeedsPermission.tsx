// What a page says to someone whose role does not grant what it needs.
import type { ReactNode } from 'react';
import { useAuth } from '../../api/auth';

export function NeedsPermission({ permission, what, children }: { permission: string; what: string; children: ReactNode }) {
  const { me, can } = useAuth();
  if (can(permission)) return <>{children}</>;
  return (
    <div className="state empty" data-testid="needs-permission">
      Your role <strong>{me?.role}</strong> does not allow {what}: it needs the permission <code>{permission}</code>. Ask an
      admin if you need it.
    </div>
  );
}

// A line above a page the user may read but not change.
export function ReadOnlyNote({ permission, what }: { permission: string; what: string }) {
  const { me, can } = useAuth();
  if (can(permission)) return null;
  return (
    <p className="notice readonly" data-testid="read-only">
      Read only: your role <strong>{me?.role}</strong> may not change {what} (that needs <code>{permission}</code>).
    </p>
  );
}
