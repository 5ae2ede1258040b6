// Who the user is (GET /me), what their role lets them do, and their API keys.
import { useAuth } from '../../../api/auth';
import { formatTime } from '../../../components/format';
import { rolePermissions, roleSummary } from '../roles';
import { ApiKeys } from './ApiKeys';

const allPermissions = rolePermissions.admin;

export function AccountPage() {
  const { me } = useAuth();
  if (!me) return null;
  return (
    <>
      <section aria-labelledby="me-title" className="panel" data-testid="me">
        <h2 id="me-title">You</h2>
        <dl className="facts">
          <dt>Name</dt>
          <dd data-testid="me-name">{me.name}</dd>
          <dt>Role</dt>
          <dd data-testid="me-role">
            <strong>{me.role}</strong> <span className="muted">— {roleSummary[me.role] ?? ''}</span>
          </dd>
          <dt>Signed in with</dt>
          <dd>{me.kind === 'user' ? 'a password (a UI session)' : 'an API key'}</dd>
          <dt>Until</dt>
          <dd>{me.session ? formatTime(me.session.expires_at) : me.expires_at ? formatTime(me.expires_at) : 'no expiry'}</dd>
        </dl>
        <h3>What you may do</h3>
        <ul className="permissions" data-testid="permissions">
          {allPermissions.map((p) => {
            const has = me.permissions.includes(p);
            return (
              <li key={p} className={has ? 'granted' : 'denied'}>
                <span aria-hidden="true">{has ? '✓' : '✗'}</span> <code>{p}</code>
                <span className="sr-only">{has ? ' granted' : ' not granted'}</span>
              </li>
            );
          })}
        </ul>
      </section>
      <ApiKeys />
    </>
  );
}
