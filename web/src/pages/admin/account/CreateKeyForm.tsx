// Make an API key: a name, a role no greater than one's own, an expiry.
import { useState, type FormEvent } from 'react';
import { useAuth } from '../../../api/auth';
import { api, ApiError } from '../../../api/client';
import { Field, FormErrors } from '../../../components/FieldErrors';
import { rolesWithin } from '../roles';
import type { ApiKey } from '../types';

const expiries = [
  { value: '', label: 'never' },
  { value: '1d', label: 'in 1 day' },
  { value: '7d', label: 'in 7 days' },
  { value: '30d', label: 'in 30 days' },
  { value: '90d', label: 'in 90 days' },
  { value: '365d', label: 'in a year' },
  { value: 'date', label: 'on a date…' },
];

export function CreateKeyForm({ onCreated }: { onCreated: (k: ApiKey & { key: string }) => void }) {
  const { me } = useAuth();
  const allowed = rolesWithin(me?.permissions ?? []);
  const [name, setName] = useState('');
  const [role, setRole] = useState(me?.role ?? 'viewer');
  const [expiry, setExpiry] = useState('30d');
  const [date, setDate] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (expiry === 'date' && !date) {
      setError(new ApiError(0, 'no_date', 'Pick the day the key expires', [{ pointer: '/expires_at', message: 'pick a date' }]));
      return;
    }
    setBusy(true);
    setError(null);
    const body: Record<string, unknown> = { name: name.trim(), role };
    if (expiry === 'date') body.expires_at = new Date(`${date}T23:59:59`).toISOString();
    else if (expiry) body.expires_in = expiry;
    try {
      const k = await api.post<ApiKey & { key: string }>('/apikeys', body);
      setName('');
      onCreated(k);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="panel form-row" onSubmit={submit} noValidate data-testid="key-form" aria-label="Create an API key">
      <FormErrors error={error} shown={['/name', '/role', '/expires_in', '/expires_at']} />
      <Field label="Key name" pointer="/name" error={error} hint="What uses it, e.g. “suricata forwarder”.">
        {(a) => <input {...a} name="key-name" value={name} onChange={(e) => setName(e.target.value)} maxLength={100} />}
      </Field>
      <Field label="Role" pointer="/role" error={error} hint="At most your own role.">
        {(a) => (
          <select {...a} name="key-role" value={role} onChange={(e) => setRole(e.target.value)}>
            {allowed.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Expires" pointer="/expires_in" error={error}>
        {(a) => (
          <select {...a} name="key-expiry" value={expiry} onChange={(e) => setExpiry(e.target.value)}>
            {expiries.map((x) => (
              <option key={x.value} value={x.value}>
                {x.label}
              </option>
            ))}
          </select>
        )}
      </Field>
      {expiry === 'date' && (
        <Field label="Expiry date" pointer="/expires_at" error={error} hint="At the end of that day, your time.">
          {(a) => <input {...a} type="date" value={date} onChange={(e) => setDate(e.target.value)} />}
        </Field>
      )}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Creating…' : 'Create key'}
        </button>
      </div>
    </form>
  );
}
