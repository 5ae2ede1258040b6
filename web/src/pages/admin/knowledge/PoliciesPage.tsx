// The organisation's policies (GET/PUT /policies): the saved list as a table,
// and the whole list edited as JSON — a policy's match criteria vary too much
// for one form. atio takes the whole list or refuses it naming every problem.
import { useEffect, useState } from 'react';
import { useAuth } from '../../../api/auth';
import { api } from '../../../api/client';
import { useApi } from '../../../api/hooks';
import { DataState } from '../../../components/DataState';
import { FormErrors } from '../../../components/FieldErrors';
import { JsonEditor, parseJson } from '../../../components/JsonEditor';
import { ReadOnlyNote } from '../NeedsPermission';

interface Policy {
  name: string;
  description?: string;
  match?: Record<string, unknown>;
  response: string[];
  priority?: string;
}

const template: Policy = {
  name: 'PCI hosts: isolate on high-importance alerts',
  description: 'for people',
  match: { kinds: ['alert'], asset_tags: ['pci'], min_importance: 50 },
  response: ['isolate-host', 'open-case'],
  priority: 'high',
};

function criteria(m: Record<string, unknown> | undefined): string {
  if (!m || Object.keys(m).length === 0) return 'every detection';
  return Object.entries(m)
    .map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(', ') : String(v)}`)
    .join('; ');
}

export function PoliciesPage() {
  const { can } = useAuth();
  const loaded = useApi<{ policies: Policy[] }>('/policies');
  const [text, setText] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  const policies = loaded.data?.policies ?? [];

  useEffect(() => {
    if (loaded.data) setText(JSON.stringify({ policies: loaded.data.policies }, null, 2));
  }, [loaded.data]);

  const parsed = parseJson(text);

  async function save() {
    setBusy(true);
    setError(null);
    setSaved(false);
    try {
      await api.put('/policies', parsed.value);
      setSaved(true);
      loaded.reload();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  function addTemplate() {
    const v = parsed.value as { policies?: Policy[] } | undefined;
    const list = Array.isArray(v?.policies) ? v.policies : [];
    setText(JSON.stringify({ policies: [...list, template] }, null, 2));
  }

  return (
    <section aria-labelledby="policies-title">
      <h2 id="policies-title">Policies</h2>
      <p className="muted">
        What the organisation expects done to the detections a policy matches. Every criterion given must hold; every matching
        policy applies.
      </p>
      <ReadOnlyNote permission="knowledge.write" what="policies" />
      <DataState what="policies" loading={loaded.loading && !loaded.data} error={loaded.error} onRetry={loaded.reload}>
        {policies.length === 0 ? (
          <div className="state empty">No policies yet: detections carry no required response.</div>
        ) : (
          <table className="list" data-testid="policy-table">
            <thead>
              <tr>
                <th>Name</th>
                <th>Matches</th>
                <th>Response</th>
                <th>Priority</th>
              </tr>
            </thead>
            <tbody>
              {policies.map((p, i) => (
                <tr key={i}>
                  <td>
                    {p.name}
                    {p.description && <div className="muted">{p.description}</div>}
                  </td>
                  <td>{criteria(p.match)}</td>
                  <td>{p.response.join(', ')}</td>
                  <td>
                    <span className={`badge ${p.priority ?? 'medium'}`}>{p.priority ?? 'medium'}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {can('knowledge.write') && (
          <div className="panel editor-panel">
            <h3>Edit the policies</h3>
            <p className="muted">
              Members: <code>name</code>, <code>response</code> (required), <code>priority</code> (low, medium, high,
              critical), <code>description</code>, <code>match</code> with <code>kinds</code>, <code>object_types</code>,{' '}
              <code>min_severity</code>, <code>min_importance</code>, <code>asset_tags</code>, <code>techniques</code>,{' '}
              <code>signature_contains</code> (docs/enrich.md).
            </p>
            <FormErrors error={error} shown={['/policies']} />
            <JsonEditor label="Policies (JSON)" value={text} onChange={(t) => { setText(t); setSaved(false); }} error={error} />
            <div className="form-actions">
              <button type="button" className="primary" onClick={() => void save()} disabled={busy || !!parsed.error}>
                {busy ? 'Saving…' : 'Save policies'}
              </button>
              <button type="button" onClick={addTemplate} disabled={!!parsed.error}>
                Add an example policy
              </button>
              <button type="button" onClick={() => { setText(JSON.stringify({ policies }, null, 2)); setError(null); }}>
                Undo changes
              </button>
              {saved && <span role="status" className="ok-text">Saved.</span>}
            </div>
          </div>
        )}
      </DataState>
    </section>
  );
}
