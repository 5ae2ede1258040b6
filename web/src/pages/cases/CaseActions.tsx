// What an analyst does with a case: acknowledge (with a note), assign, move
// its status along the status machine, comment. Each is one POST; the page
// reloads the case (with its timeline) after each one.
import { useEffect, useState, type FormEvent } from 'react';
import { api, ApiError } from '../../api/client';
import { useAuth } from '../../api/auth';
import { useApi } from '../../api/hooks';
import { FormError } from '../../components/FormError';
import { useAction } from '../../components/useAction';
import { allowedMoves, statusLabel } from './statusMachine';
import type { CaseSummary } from './types';

type Done = (msg: string) => void;

// A 409 means the case moved under us (another analyst, a playbook): atio's
// message is shown above the forms, which may change or vanish once the case
// is reloaded to match atio again.
type Conflict = (e: ApiError) => void;

function post(path: string, body: unknown, onConflict: Conflict) {
  return api.post(path, body).catch((e: unknown) => {
    if (e instanceof ApiError && e.status === 409) onConflict(e);
    throw e;
  });
}

interface FormProps {
  c: CaseSummary;
  onDone: Done;
  onConflict: Conflict;
}

// A form's own error, except a conflict (shown above the forms).
function ownError(e: unknown) {
  return e instanceof ApiError && e.status === 409 ? null : e;
}

function Acknowledge({ c, onDone, onConflict }: FormProps) {
  const [note, setNote] = useState('');
  const act = useAction();
  if (c.status !== 'new') return null;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void act.run(
      () => post(`/cases/${c.id}/acknowledge`, note.trim() ? { note: note.trim() } : {}, onConflict),
      () => {
        setNote('');
        onDone('Acknowledged.');
      },
    );
  };
  return (
    <form className="case-action" onSubmit={submit} aria-label="Acknowledge">
      <h3>Acknowledge</h3>
      <label>
        Note (optional)
        <textarea value={note} onChange={(e) => setNote(e.target.value)} rows={2} name="ack-note" />
      </label>
      <button type="submit" className="primary" disabled={act.busy}>
        {act.busy ? 'Acknowledging…' : 'Acknowledge'}
      </button>
      <FormError error={ownError(act.error)} />
    </form>
  );
}

function Assign({ c, onDone, onConflict }: FormProps) {
  const { can } = useAuth();
  // Only admins may list users; others type the name.
  const users = useApi<{ users: { name: string; disabled: boolean }[] }>(can('admin.users') ? '/users' : null);
  const [assignee, setAssignee] = useState(c.assignee ?? '');
  useEffect(() => setAssignee(c.assignee ?? ''), [c.assignee]);
  const act = useAction();
  const assign = (to: string) =>
    void act.run(
      () => post(`/cases/${c.id}/assign`, { assignee: to }, onConflict),
      () => onDone(to ? `Assigned to ${to}.` : 'Unassigned.'),
    );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    assign(assignee.trim());
  };
  return (
    <form className="case-action" onSubmit={submit} aria-label="Assign">
      <h3>Assign</h3>
      <label>
        User name
        <input value={assignee} onChange={(e) => setAssignee(e.target.value)} list="case-assignees" name="assignee" />
      </label>
      <datalist id="case-assignees">
        {(users.data?.users ?? [])
          .filter((u) => !u.disabled)
          .map((u) => (
            <option key={u.name} value={u.name} />
          ))}
      </datalist>
      <div className="row">
        <button type="submit" disabled={act.busy || !assignee.trim() || assignee.trim() === (c.assignee ?? '')}>
          Assign
        </button>
        {c.assignee && (
          <button type="button" disabled={act.busy} onClick={() => assign('')}>
            Unassign
          </button>
        )}
      </div>
      <FormError error={ownError(act.error)} />
    </form>
  );
}

function MoveStatus({ c, onDone, onConflict }: FormProps) {
  const moves = allowedMoves(c.status);
  const [to, setTo] = useState<string>(moves[0] ?? '');
  const [note, setNote] = useState('');
  useEffect(() => setTo(allowedMoves(c.status)[0] ?? ''), [c.status]);
  const act = useAction();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void act.run(
      () => post(`/cases/${c.id}/status`, note.trim() ? { status: to, note: note.trim() } : { status: to }, onConflict),
      () => {
        setNote('');
        onDone(`Status: ${statusLabel(to)}.`);
      },
    );
  };
  if (moves.length === 0) {
    return (
      <div className="case-action">
        <h3>Status</h3>
        <p className="muted">This case is {statusLabel(c.status)}: that status is final.</p>
      </div>
    );
  }
  return (
    <form className="case-action" onSubmit={submit} aria-label="Change status">
      <h3>Change status</h3>
      <label>
        Move from {statusLabel(c.status)} to
        <select value={to} onChange={(e) => setTo(e.target.value)} name="status">
          {moves.map((s) => (
            <option key={s} value={s}>
              {statusLabel(s)}
            </option>
          ))}
        </select>
      </label>
      <label>
        Note (optional)
        <textarea value={note} onChange={(e) => setNote(e.target.value)} rows={2} name="status-note" />
      </label>
      <button type="submit" disabled={act.busy || !to}>
        {act.busy ? 'Moving…' : 'Change status'}
      </button>
      <FormError error={ownError(act.error)} />
    </form>
  );
}

function Comment({ c, onDone, onConflict }: FormProps) {
  const [text, setText] = useState('');
  const act = useAction();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void act.run(
      () => post(`/cases/${c.id}/comments`, { text }, onConflict),
      () => {
        setText('');
        onDone('Comment added.');
      },
    );
  };
  return (
    <form className="case-action" onSubmit={submit} aria-label="Comment">
      <h3>Comment</h3>
      <label>
        Text
        <textarea value={text} onChange={(e) => setText(e.target.value)} rows={3} name="comment" />
      </label>
      <button type="submit" disabled={act.busy || !text.trim()}>
        Add comment
      </button>
      <FormError error={ownError(act.error)} />
    </form>
  );
}

export function CaseActions({ c, onChanged }: { c: CaseSummary; onChanged: Done }) {
  const { can } = useAuth();
  const [conflict, setConflict] = useState<ApiError | null>(null);
  const conflicted = (e: ApiError) => {
    setConflict(e);
    onChanged(''); // reload: offer what atio allows now
  };
  if (!can('case.write')) {
    return <p className="muted">Your role may read cases but not change them (it lacks case.write).</p>;
  }
  const done = (msg: string) => {
    setConflict(null);
    onChanged(msg);
  };
  return (
    <div className="case-actions">
      {conflict && (
        <div data-testid="case-conflict">
          <FormError error={conflict} />
        </div>
      )}
      <Acknowledge c={c} onDone={done} onConflict={conflicted} />
      <MoveStatus c={c} onDone={done} onConflict={conflicted} />
      <Assign c={c} onDone={done} onConflict={conflicted} />
      <Comment c={c} onDone={done} onConflict={conflicted} />
    </div>
  );
}
