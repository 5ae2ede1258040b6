// Set a secret's value (PUT /secrets/{name}): one string, or named fields
// (e.g. user_id and password, or oauth_header). Inputs are password fields;
// the value is cleared once sent.
import { useState, type FormEvent } from 'react';
import { api } from '../../../api/client';
import { Field, FormErrors } from '../../../components/FieldErrors';
import type { SecretInfo } from '../types';

interface Pair {
  field: string;
  value: string;
}

export function SecretForm({ existing, onDone }: { existing: SecretInfo | null; onDone: (saved: string | null) => void }) {
  const [name, setName] = useState(existing?.name ?? '');
  const [description, setDescription] = useState(existing?.description ?? '');
  const [kind, setKind] = useState<'string' | 'fields'>('string');
  const [value, setValue] = useState('');
  const [pairs, setPairs] = useState<Pair[]>([{ field: '', value: '' }]);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const v = kind === 'string' ? value : Object.fromEntries(pairs.filter((p) => p.field.trim()).map((p) => [p.field.trim(), p.value]));
    try {
      await api.put(`/secrets/${encodeURIComponent(name.trim())}`, { value: v, description });
      setValue('');
      setPairs([{ field: '', value: '' }]);
      onDone(name.trim());
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  const setPair = (i: number, p: Partial<Pair>) => setPairs(pairs.map((x, j) => (j === i ? { ...x, ...p } : x)));

  return (
    <form className="panel" onSubmit={submit} noValidate data-testid="secret-form" aria-label={existing ? `Set ${existing.name}` : 'New secret'}>
      <h3>{existing ? `Set a new value for ${existing.name}` : 'New secret'}</h3>
      <FormErrors
        error={error}
        shown={kind === 'string' ? ['/name', '/description', '/value'] : ['/name', '/description', ...pairs.map((p) => `/value/${p.field.trim()}`)]}
      />
      <div className="form-row">
        <Field label="Name" pointer="/name" error={error} hint="A-Z a-z 0-9 _ . - ; what playbooks name it by.">
          {(a) => <input {...a} name="secret-name" value={name} readOnly={!!existing} onChange={(e) => setName(e.target.value)} />}
        </Field>
        <Field label="Description" pointer="/description" error={error}>
          {(a) => <input {...a} name="secret-description" value={description} onChange={(e) => setDescription(e.target.value)} />}
        </Field>
      </div>
      <fieldset>
        <legend>Value</legend>
        <label className="inline">
          <input type="radio" name="secret-kind" checked={kind === 'string'} onChange={() => setKind('string')} /> one string (a
          password, a token)
        </label>
        <label className="inline">
          <input type="radio" name="secret-kind" checked={kind === 'fields'} onChange={() => setKind('fields')} /> named fields
          (e.g. <code>user_id</code> and <code>password</code>, or <code>oauth_header</code>)
        </label>
        {kind === 'string' ? (
          <Field label="Value" pointer="/value" error={error}>
            {(a) => <input {...a} name="secret-value" type="password" autoComplete="off" value={value} onChange={(e) => setValue(e.target.value)} />}
          </Field>
        ) : (
          <>
            {pairs.map((p, i) => (
              <div className="form-row" key={i}>
                <Field label={`Field ${i + 1} name`} pointer={`/value/${p.field.trim() || '-'}`} error={error}>
                  {(a) => <input {...a} value={p.field} onChange={(e) => setPair(i, { field: e.target.value })} />}
                </Field>
                <label>
                  Field {i + 1} value
                  <input type="password" autoComplete="off" value={p.value} onChange={(e) => setPair(i, { value: e.target.value })} />
                </label>
                <button type="button" aria-label={`Remove field ${i + 1}`} onClick={() => setPairs(pairs.filter((_, j) => j !== i))} disabled={pairs.length === 1}>
                  Remove
                </button>
              </div>
            ))}
            <button type="button" onClick={() => setPairs([...pairs, { field: '', value: '' }])}>
              Add a field
            </button>
          </>
        )}
      </fieldset>
      <div className="form-actions">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Saving…' : 'Save secret'}
        </button>
        <button type="button" onClick={() => onDone(null)}>
          Cancel
        </button>
      </div>
    </form>
  );
}
