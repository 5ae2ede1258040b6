// Monitor triggers: playbooks that atio starts with a notification as
// __event__ when a change of the chosen kinds happens. Listing needs
// trigger.read; creating and deleting trigger.manage.
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { api } from '../../api/client';
import { useAuth } from '../../api/auth';
import { useApi } from '../../api/hooks';
import { DataState } from '../../components/DataState';
import { FormError } from '../../components/FormError';
import { formatTime } from '../../components/format';
import { useAction } from '../../components/useAction';
import { usePlaybookNames } from '../../components/usePlaybookNames';
import type { MonitorTrigger } from './types';

const KINDS = ['creation', 'modification', 'deletion'] as const;

function NewTrigger({ onCreated }: { onCreated: () => void }) {
  const { playbooks } = usePlaybookNames();
  const [playbookId, setPlaybookId] = useState('');
  const [name, setName] = useState('');
  const [kinds, setKinds] = useState<string[]>([...KINDS]);
  const act = useAction();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void act.run(
      () => api.post('/monitor/triggers', { playbook_id: playbookId, name: name.trim(), kinds }),
      () => {
        setName('');
        onCreated();
      },
    );
  };
  const toggle = (k: string) => setKinds((old) => (old.includes(k) ? old.filter((x) => x !== k) : [...old, k]));
  return (
    <form className="toolbar trigger-form" onSubmit={submit} aria-label="New monitor trigger">
      <label>
        Playbook to start
        <select value={playbookId} onChange={(e) => setPlaybookId(e.target.value)} required name="trigger-playbook">
          <option value="">choose…</option>
          {playbooks.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        Name
        <input value={name} onChange={(e) => setName(e.target.value)} placeholder="page on deletion" name="trigger-name" />
      </label>
      <fieldset className="kinds">
        <legend>On</legend>
        {KINDS.map((k) => (
          <label key={k} className="inline">
            <input type="checkbox" checked={kinds.includes(k)} onChange={() => toggle(k)} /> {k}
          </label>
        ))}
      </fieldset>
      <button type="submit" className="primary" disabled={act.busy || !playbookId || kinds.length === 0}>
        Add trigger
      </button>
      <FormError error={act.error} />
    </form>
  );
}

export function Triggers() {
  const { can } = useAuth();
  const loaded = useApi<{ triggers: MonitorTrigger[] }>(can('trigger.read') ? '/monitor/triggers' : null);
  const { names } = usePlaybookNames();
  const del = useAction();
  if (!can('trigger.read')) return null;
  const manage = can('trigger.manage');
  const triggers = loaded.data?.triggers ?? [];
  return (
    <section aria-labelledby="triggers-title">
      <h2 id="triggers-title">Triggers</h2>
      <p className="muted">Start a playbook on every notification with a change of the chosen kinds; it receives the notification as __event__.</p>
      <DataState
        what="monitor triggers"
        loading={loaded.loading && !loaded.data}
        error={loaded.error}
        onRetry={loaded.reload}
        isEmpty={triggers.length === 0}
        empty={manage ? 'No trigger yet: add one below.' : 'No trigger yet. Someone with trigger.manage can add one.'}
      >
        <table className="list" data-testid="monitor-triggers">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Playbook</th>
              <th scope="col">On</th>
              <th scope="col">Created</th>
              {manage && <th scope="col">Delete</th>}
            </tr>
          </thead>
          <tbody>
            {triggers.map((t) => (
              <tr key={t.id}>
                <td>{t.name || <span className="muted">(no name)</span>}</td>
                <td>
                  <Link to={`/playbooks/${t.playbook_id}`}>{names.get(t.playbook_id) ?? t.playbook_id}</Link>
                </td>
                <td>{t.kinds.length ? t.kinds.join(', ') : 'every change'}</td>
                <td>{formatTime(t.created_at)}</td>
                {manage && (
                  <td>
                    <button
                      type="button"
                      className="danger"
                      disabled={del.busy}
                      aria-label={`Delete trigger ${t.name || t.id}`}
                      onClick={() => {
                        if (window.confirm(`Delete the trigger “${t.name || t.id}”?`))
                          void del.run(() => api.del(`/monitor/triggers/${t.id}`), loaded.reload);
                      }}
                    >
                      Delete
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </DataState>
      <FormError error={del.error} />
      {manage && <NewTrigger onCreated={loaded.reload} />}
    </section>
  );
}
