// One user in the users table, with its changes: role, disabled, password.
import { useState, type FormEvent } from 'react';
import { useAuth } from '../../../api/auth';
import { api } from '../../../api/client';
import { ConfirmButton } from '../../../components/ConfirmButton';
import { Field, FormErrors } from '../../../components/FieldErrors';
import { formatTime } from '../../../components/format';
import { roles } from '../roles';
import type { User } from '../types';

export function UserRow({ user, onChanged }: { user: User; onChanged: (what: string) => void }) {
  const { me } = useAuth();
  const self = me?.user_id === user.id;
  const [role, setRole] = useState(user.role);
  const [error, setError] = useState<unknown>(null);
  const [settingPassword, setSettingPassword] = useState(false);
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);

  async function run(what: string, call: () => Promise<unknown>) {
    setBusy(true);
    setError(null);
    try {
      await call();
      onChanged(what);
      return true;
    } catch (e) {
      setError(e);
      return false;
    } finally {
      setBusy(false);
    }
  }

  async function savePassword(e: FormEvent) {
    e.preventDefault();
    const ok = await run(`Set the password of ${user.name}; their sessions ended.`, () =>
      api.post(`/users/${user.id}/password`, { password }),
    );
    if (ok) {
      setPassword('');
      setSettingPassword(false);
    }
  }

  const path = `/users/${user.id}`;
  return (
    <>
      <tr data-testid="user-row" data-user={user.name}>
        <td>
          {user.name} {self && <span className="muted">(you)</span>}
        </td>
        <td>
          <span className="inline-edit">
            <select
              aria-label={`Role of ${user.name}`}
              value={role}
              disabled={self || busy}
              title={self ? 'You cannot change your own role' : undefined}
              onChange={(e) => setRole(e.target.value)}
            >
              {roles.map((r) => (
                <option key={r}>{r}</option>
              ))}
            </select>
            {role !== user.role && (
              <button type="button" className="primary" disabled={busy} onClick={() => void run(`${user.name} is now ${role}.`, () => api.patch(path, { role }))}>
                Save role
              </button>
            )}
          </span>
        </td>
        <td>
          <span className={`badge ${user.disabled ? 'denied' : 'ok'}`}>{user.disabled ? 'disabled' : 'enabled'}</span>
        </td>
        <td>{formatTime(user.created_at)}</td>
        <td>{user.last_login_at ? formatTime(user.last_login_at) : 'never'}</td>
        <td className="actions">
          {user.disabled ? (
            <button type="button" disabled={busy} onClick={() => void run(`Enabled ${user.name}.`, () => api.patch(path, { disabled: false }))}>
              Enable
            </button>
          ) : (
            <ConfirmButton
              label="Disable"
              question={`Disable ${user.name}? Their sessions end and their keys stop.`}
              disabled={self || busy}
              onConfirm={async () => {
                await run(`Disabled ${user.name}.`, () => api.patch(path, { disabled: true }));
              }}
            />
          )}
          <button type="button" aria-expanded={settingPassword} onClick={() => setSettingPassword(!settingPassword)}>
            Set password
          </button>
        </td>
      </tr>
      {(settingPassword || error !== null) && (
        <tr className="row-detail">
          <td colSpan={6}>
            <FormErrors error={error} shown={settingPassword ? ['/password'] : []} />
            {settingPassword && (
              <form className="form-row" onSubmit={savePassword} noValidate>
                <Field label={`New password for ${user.name}`} pointer="/password" error={error} hint="12 characters or more.">
                  {(a) => (
                    <input {...a} type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} />
                  )}
                </Field>
                <div className="form-actions">
                  <button type="submit" className="primary" disabled={busy}>
                    Set password
                  </button>
                  <button type="button" onClick={() => { setSettingPassword(false); setError(null); }}>
                    Cancel
                  </button>
                </div>
              </form>
            )}
          </td>
        </tr>
      )}
    </>
  );
}
