// One playbook: what it is, whether it is protected (and the switch for who
// may change that), its graph with the selected step's properties, and the
// ways on: edit, versions, export, run, delete.
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { api, ApiError } from '../../api/client';
import { useApi } from '../../api/hooks';
import { useAuth } from '../../api/auth';
import type { PlaybookSummary } from '../../api/types';
import { DataState, ErrorBanner } from '../../components/DataState';
import { JsonView } from '../../components/JsonView';
import { formatTime } from '../../components/format';
import type { CacaoPlaybook } from '../../graph/cacao';
import { PlaybookGraph } from '../../graph/PlaybookGraph';
import { Dialog } from './Dialog';
import { RunDialog } from './RunDialog';
import { exportPlaybook } from './exportPlaybook';

export function PlaybookDetail() {
  const id = useParams().id ?? '';
  const path = `/playbooks/${encodeURIComponent(id)}`;
  const { can } = useAuth();
  const navigate = useNavigate();
  const doc = useApi<CacaoPlaybook>(path);
  const list = useApi<{ playbooks: PlaybookSummary[] }>('/playbooks');
  const summary = list.data?.playbooks.find((p) => p.id === id);
  const [selected, setSelected] = useState<string | null>(null);
  const [running, setRunning] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const act = async (what: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await what();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const toggleProtection = () =>
    act(async () => {
      if (summary?.protected) await api.del(`${path}/protection`);
      else await api.put(`${path}/protection`);
      list.reload();
    });
  const remove = () =>
    act(async () => {
      await api.del(path);
      navigate('/playbooks');
    });

  const pb = doc.data;
  const step = selected && pb ? pb.workflow?.[selected] : undefined;
  if (doc.error instanceof ApiError && doc.error.status === 404) {
    return (
      <section>
        <p className="muted">
          <Link to="/playbooks">Playbooks</Link> /
        </p>
        <h1>Playbook not found</h1>
        <p className="state empty">
          There is no playbook {id}. If it was deleted, its <Link to={`${path}/versions`}>version history</Link> is kept
          and can restore it.
        </p>
      </section>
    );
  }
  return (
    <DataState what="the playbook" loading={doc.loading && !pb} error={doc.error} onRetry={doc.reload}>
      {pb && (
        <section>
          <p className="muted">
            <Link to="/playbooks">Playbooks</Link> /
          </p>
          <div className="pb-heading">
            <h1 data-testid="playbook-name">{pb.name}</h1>
            <div className="pb-actions">
              {can('playbook.write') && (
                <Link className="pb-button-link primary" to={`${path}/edit`}>
                  Edit
                </Link>
              )}
              <Link className="pb-button-link" to={`${path}/versions`}>
                Versions
              </Link>
              <button type="button" onClick={() => void act(() => exportPlaybook(id))}>
                Export
              </button>
              {can('execution.run') && (
                <button type="button" onClick={() => setRunning(true)}>
                  Run
                </button>
              )}
              {can('playbook.write') && (
                <button type="button" className="danger" onClick={() => setConfirmDelete(true)}>
                  Delete
                </button>
              )}
            </div>
          </div>
          {typeof pb.description === 'string' && pb.description && <p className="pb-description">{pb.description}</p>}
          <dl className="pb-facts">
            <dt>Id</dt>
            <dd className="mono">{pb.id}</dd>
            <dt>Version (modified)</dt>
            <dd className="mono">{String(pb.modified ?? '—')}</dd>
            <dt>Updated in atio</dt>
            <dd>{formatTime(summary?.updated_at)}</dd>
            <dt>Protection</dt>
            <dd data-testid="protection">
              {summary ? (
                summary.protected ? (
                  <span className="badge pb-protected">protected</span>
                ) : (
                  <span className="badge">not protected</span>
                )
              ) : (
                '—'
              )}{' '}
              {summary && can('playbook.protect') && (
                <button type="button" disabled={busy} onClick={() => void toggleProtection()}>
                  {summary.protected ? 'Unprotect' : 'Protect'}
                </button>
              )}
              <span className="muted">
                {' '}
                The workflow monitor restores a protected playbook that is changed without the right to.
              </span>
            </dd>
          </dl>
          <ErrorBanner error={error ?? list.error} />
          <div className="split">
            <PlaybookGraph playbook={pb} selected={selected} onSelect={setSelected} height={560} />
            <aside className="panel" aria-label="Selected step">
              {step && selected ? (
                <>
                  <h2>{step.name || step.type}</h2>
                  <p className="mono muted">{selected}</p>
                  <JsonView value={step} openDepth={2} label="The step's properties" />
                </>
              ) : (
                <p className="muted">Select a step in the graph to see its properties.</p>
              )}
            </aside>
          </div>
          {running && <RunDialog id={pb.id} name={pb.name} onClose={() => setRunning(false)} />}
          {confirmDelete && (
            <Dialog title={`Delete “${pb.name}”?`} onClose={() => setConfirmDelete(false)} testId="delete-dialog">
              <p>
                The playbook stops being available to run. Its executions and versions stay; it can be brought back
                from its version history.
                {summary?.protected && ' It is protected: the workflow monitor reports the deletion and may restore it.'}
              </p>
              <div className="pb-dialog-buttons">
                <button type="button" onClick={() => setConfirmDelete(false)}>
                  Cancel
                </button>
                <button type="button" className="danger" disabled={busy} onClick={() => void remove()}>
                  Delete
                </button>
              </div>
            </Dialog>
          )}
        </section>
      )}
    </DataState>
  );
}
