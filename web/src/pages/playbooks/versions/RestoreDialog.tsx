// Confirm a restore: POST /playbooks/{id}/versions/{n}/restore?comment= makes
// version n current again as a new version (audited playbook.restore).
import { useState } from 'react';
import { api } from '../../../api/client';
import { Dialog } from '../Dialog';
import { RequestError } from '../FieldErrorList';
import type { PlaybookRestored } from '../types';

export function RestoreDialog(props: { id: string; version: number; onDone: (r: PlaybookRestored) => void; onClose: () => void }) {
  const [comment, setComment] = useState(`Restore version ${props.version}`);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const restore = async () => {
    setBusy(true);
    setError(null);
    try {
      const r = await api.post<PlaybookRestored>(`/playbooks/${encodeURIComponent(props.id)}/versions/${props.version}/restore`, undefined, {
        comment: comment.trim() || undefined,
      });
      props.onDone(r);
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };
  return (
    <Dialog title={`Restore version ${props.version}?`} onClose={props.onClose} testId="restore-dialog">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void restore();
        }}
      >
        <p>
          The playbook becomes what it was in version {props.version}. This is saved as a new version; the versions in
          between stay in the history.
        </p>
        <label>
          Comment (kept with the new version)
          <input value={comment} onChange={(e) => setComment(e.target.value)} data-testid="restore-comment" />
        </label>
        <RequestError error={error} />
        <div className="pb-dialog-buttons">
          <button type="button" onClick={props.onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy} data-testid="restore-confirm">
            {busy ? 'Restoring…' : 'Restore'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
