// Integration credentials (secret.manage): names, descriptions and who set
// them when — values go in and never come out. Set (new or replaced) or delete.
// atio answers the whole list; it is shown 25 a page.
import { useState } from 'react';
import { api } from '../../../api/client';
import { useApi } from '../../../api/hooks';
import { ClientPager, useClientPages } from '../../../components/ClientPager';
import { ConfirmButton } from '../../../components/ConfirmButton';
import { DataState, ErrorBanner } from '../../../components/DataState';
import { formatTime } from '../../../components/format';
import { NeedsPermission } from '../NeedsPermission';
import type { SecretInfo } from '../types';
import { SecretForm } from './SecretForm';

export function SecretsPage() {
  return (
    <NeedsPermission permission="secret.manage" what="managing secrets">
      <Secrets />
    </NeedsPermission>
  );
}

function Secrets() {
  const loaded = useApi<{ secrets: SecretInfo[] }>('/secrets');
  const [editing, setEditing] = useState<SecretInfo | 'new' | null>(null);
  const [notice, setNotice] = useState('');
  const [deleteError, setDeleteError] = useState<unknown>(null);
  const items = loaded.data?.secrets ?? [];
  const paged = useClientPages(items, 25);

  async function remove(s: SecretInfo) {
    setDeleteError(null);
    try {
      await api.del(`/secrets/${encodeURIComponent(s.name)}`);
      setNotice(`Deleted the secret ${s.name}.`);
      loaded.reload();
    } catch (e) {
      setDeleteError(e);
    }
  }

  return (
    <section aria-labelledby="secrets-title">
      <h2 id="secrets-title">Secrets</h2>
      <p className="muted">
        Credentials for integrations (MISP, IRIS, HTTP passwords, tokens). A playbook names one with{' '}
        <code>"kms": true, "kms_key_identifier": "&lt;name&gt;"</code>; atio never shows a value again.
      </p>
      <div className="toolbar">
        <button type="button" className="primary" onClick={() => setEditing('new')} disabled={editing === 'new'}>
          New secret
        </button>
      </div>
      {editing && (
        <SecretForm
          existing={editing === 'new' ? null : editing}
          onDone={(saved) => {
            setEditing(null);
            if (saved) {
              setNotice(`Saved the secret ${saved}.`);
              loaded.reload();
            }
          }}
        />
      )}
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      <ErrorBanner error={deleteError} />
      <DataState
        what="secrets"
        loading={loaded.loading && !loaded.data}
        error={loaded.error}
        onRetry={loaded.reload}
        isEmpty={items.length === 0}
        empty="No secrets yet. Add the credentials your playbooks’ integrations need."
      >
        <table className="list" data-testid="secret-table">
          <thead>
            <tr>
              <th>Name</th>
              <th>Description</th>
              <th>Set</th>
              <th>By</th>
              <th aria-label="Actions" />
            </tr>
          </thead>
          <tbody>
            {paged.items.map((s) => (
              <tr key={s.name} data-testid="secret-row">
                <td className="mono">{s.name}</td>
                <td>{s.description || <span className="muted">—</span>}</td>
                <td>
                  {formatTime(s.updated_at)}
                  {s.created_at !== s.updated_at && <div className="muted">first {formatTime(s.created_at)}</div>}
                </td>
                <td>{s.updated_by}</td>
                <td className="actions">
                  <button type="button" onClick={() => setEditing(s)}>
                    Set value
                  </button>
                  <ConfirmButton
                    label="Delete"
                    question={`Delete ${s.name}? Steps that use it will fail.`}
                    onConfirm={() => remove(s)}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <ClientPager {...paged} />
      </DataState>
    </section>
  );
}
