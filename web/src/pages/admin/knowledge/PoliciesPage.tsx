// The organisation's policies (GET/PUT /policies): the saved list as a table,
// and the whole list edited in a form or as JSON (to paste a list kept
// elsewhere). atio takes the whole list or refuses it naming every problem.
import { useState } from 'react';
import { useAuth } from '../../../api/auth';
import { useApi } from '../../../api/hooks';
import { DataState } from '../../../components/DataState';
import { ReadOnlyNote } from '../NeedsPermission';
import { PoliciesForm, type Policy } from './PoliciesForm';
import { PoliciesJson } from './PoliciesJson';

function criteria(m: Record<string, unknown> | undefined): string {
  if (!m || Object.keys(m).length === 0) return 'every detection';
  return Object.entries(m)
    .map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(', ') : String(v)}`)
    .join('; ');
}

export function PoliciesPage() {
  const { can } = useAuth();
  const loaded = useApi<{ policies: Policy[] }>('/policies');
  const [mode, setMode] = useState<'form' | 'json'>('form');
  const [saved, setSaved] = useState(false);
  const onSaved = () => {
    setSaved(true);
    loaded.reload();
  };
  const choose = (m: 'form' | 'json') => {
    setMode(m);
    setSaved(false);
  };
  const policies = loaded.data?.policies ?? [];
  const version = JSON.stringify(policies); // the editors start afresh from what was saved

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
            <div className="toolbar">
              <h3>Edit the policies</h3>
              <span className="spacer" />
              <span role="group" aria-label="Edit as" className="segmented">
                <button type="button" aria-pressed={mode === 'form'} onClick={() => choose('form')}>
                  Form
                </button>
                <button type="button" aria-pressed={mode === 'json'} onClick={() => choose('json')}>
                  JSON
                </button>
              </span>
            </div>
            {saved && (
              <p className="notice" role="status">
                Saved the policies.
              </p>
            )}
            {mode === 'form' ? (
              <PoliciesForm key={version} policies={policies} onSaved={onSaved} />
            ) : (
              <PoliciesJson key={version} policies={policies} onSaved={onSaved} />
            )}
          </div>
        )}
      </DataState>
    </section>
  );
}
