// Abort a running execution (after a confirmation) and run its playbook again
// with the same starting variables (the execution's `variables`, which hold
// what it was started with, the triggering event in __event__).
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { api } from '../../api/client';
import { useAuth } from '../../api/auth';
import { ErrorBanner } from '../../components/DataState';
import type { ExecutionDetail } from './types';
import { executionPath } from './useLiveExecution';

export function ExecutionActions({ exec, onAborted }: { exec: ExecutionDetail; onAborted: () => void }) {
  const { can } = useAuth();
  const navigate = useNavigate();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState('');
  if (!can('execution.run')) return null;

  async function abort() {
    setBusy(true);
    setError(null);
    try {
      await api.post(`${executionPath(exec.id)}/abort`);
      setNotice('Abort requested: running steps are being stopped.');
      setConfirming(false);
      onAborted();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  async function rerun() {
    setBusy(true);
    setError(null);
    try {
      const r = await api.post<{ execution_ids: string[] }>(
        `/playbooks/${encodeURIComponent(exec.playbook_id)}/executions`,
        { variables: exec.variables ?? {} },
      );
      const next = r.execution_ids[0];
      if (next) navigate(`/executions/${next}`, { state: { rerunOf: exec.id } });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  const running = exec.status === 'running';
  return (
    <div className="exec-actions">
      <div className="toolbar">
        {running && !confirming && (
          <button type="button" className="danger" onClick={() => setConfirming(true)} disabled={busy} data-testid="abort">
            Abort…
          </button>
        )}
        {running && confirming && (
          <span className="confirm" role="group" aria-label="Confirm abort">
            Abort this execution? Steps in flight stop and the rest never run.
            <button type="button" className="danger" onClick={() => void abort()} disabled={busy} data-testid="abort-confirm">
              Yes, abort
            </button>
            <button type="button" onClick={() => setConfirming(false)} disabled={busy}>
              Cancel
            </button>
          </span>
        )}
        <button
          type="button"
          onClick={() => void rerun()}
          disabled={busy}
          data-testid="rerun"
          title="Start the same playbook again with this execution's starting variables"
        >
          Run again
        </button>
      </div>
      {notice && running && <p className="notice">{notice}</p>}
      <ErrorBanner error={error} />
    </div>
  );
}
