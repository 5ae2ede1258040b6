// Start a playbook: its variables as a JSON object, then POST
// /playbooks/{id}/executions and open the first execution's page.
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { api } from '../../api/client';
import { Dialog } from './Dialog';
import { RequestError } from './FieldErrorList';

function parseVariables(text: string): { value?: Record<string, unknown>; error?: string } {
  if (!text.trim()) return { value: {} };
  try {
    const v: unknown = JSON.parse(text);
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return { error: 'The variables must be a JSON object, e.g. {"__ip__": "10.0.0.1"}.' };
    return { value: v as Record<string, unknown> };
  } catch (e) {
    return { error: `Not valid JSON: ${(e as Error).message}` };
  }
}

export function RunDialog({ id, name, onClose }: { id: string; name: string; onClose: () => void }) {
  const navigate = useNavigate();
  const [text, setText] = useState('{}');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const parsed = parseVariables(text);

  const run = async () => {
    if (!parsed.value) return;
    setBusy(true);
    setError(null);
    try {
      const r = await api.post<{ execution_ids: string[] }>(`/playbooks/${encodeURIComponent(id)}/executions`, { variables: parsed.value });
      const first = r.execution_ids?.[0];
      if (first) navigate(`/executions/${encodeURIComponent(first)}`);
      else onClose();
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };

  return (
    <Dialog title={`Run “${name}”`} onClose={onClose} testId="run-dialog">
      <form
        method="dialog"
        onSubmit={(e) => {
          e.preventDefault();
          void run();
        }}
      >
        <label>
          Variables: a JSON object of name → value, e.g. {"{"}"__ip__": "10.0.0.1"{"}"}
          <textarea rows={8} value={text} onChange={(e) => setText(e.target.value)} aria-invalid={!!parsed.error} spellCheck={false} />
        </label>
        {parsed.error && <p className="pb-field-error" role="alert">{parsed.error}</p>}
        <RequestError error={error} />
        <div className="pb-dialog-buttons">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy || !parsed.value}>
            {busy ? 'Starting…' : 'Run'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
