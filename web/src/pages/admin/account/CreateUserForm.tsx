// Make a user: a name, a role and a first password (POST /users).
import { useState, type FormEvent } from 'react';
import { api } from '../../../api/client';
import { Field, FormErrors } from '../../../components/FieldErrors';
import { roleSummary, roles } from '../roles';
import type { User } from '../types';

export function CreateUserForm({ onCreated }: { onCreated: (u: User) => void }) {
  const [name, setName] = useState('');
  const [role, setRole] = useState('viewer');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const u = await api.post<User>('/users', { name: name.trim(), role, password });
      setName('');
      setPassword('');
      onCreated(u);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="panel form-row" onSubmit={submit} noValidate data-testid="user-form" aria-label="Make a user">
      <FormErrors error={error} shown={['/name', '/role', '/password']} />
      <Field label="User name" pointer="/name" error={error} hint="Letters, digits and . _ @ -">
        {(a) => <input {...a} name="user-name" autoComplete="off" value={name} onChange={(e) => setName(e.target.value)} />}
      </Field>
      <Field label="Role" pointer="/role" error={error} hint={roleSummary[role]}>
        {(a) => (
          <select {...a} name="user-role" value={role} onChange={(e) => setRole(e.target.value)}>
            {roles.map((r) => (
              <option key={r}>{r}</option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Password" pointer="/password" error={error} hint="12 characters or more; tell it to them apart.">
        {(a) => (
          <input {...a} name="user-password" type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} />
        )}
      </Field>
      <div className="form-actions">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Making…' : 'Make user'}
        </button>
      </div>
    </form>
  );
}
