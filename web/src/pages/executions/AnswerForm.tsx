// The answer to a manual step: did it succeed (the success path) or fail (the
// failure path), and what the person answers, sent to
// POST /executions/{id}/steps/{step_key}/answer. atio's field errors show
// beside the field they name.
import { useId, useState, type FormEvent } from 'react';
import { api, ApiError } from '../../api/client';
import { ErrorBanner } from '../../components/DataState';
import type { ManualStep } from './types';

export interface Answered {
  execution_id: string;
  step_key: string;
  success: boolean;
  answered_by: string;
}

export function answerPath(step: ManualStep): string {
  return `/executions/${encodeURIComponent(step.execution_id)}/steps/${encodeURIComponent(step.step_key)}/answer`;
}

export function AnswerForm({ step, onAnswered }: { step: ManualStep; onAnswered: (a: Answered) => void }) {
  const id = useId();
  const [success, setSuccess] = useState(true);
  const [response, setResponse] = useState('');
  const [asJson, setAsJson] = useState(false);
  const [localError, setLocalError] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [sending, setSending] = useState(false);

  const fieldErrors = error instanceof ApiError ? error.errors : [];
  const about = (pointer: string) => fieldErrors.filter((f) => f.pointer === pointer || f.pointer.startsWith(pointer + '/'));
  const other = fieldErrors.filter((f) => !f.pointer.startsWith('/response') && f.pointer !== '/success');

  async function submit(e: FormEvent) {
    e.preventDefault();
    setLocalError('');
    setError(null);
    let value: unknown = response;
    if (asJson) {
      try {
        value = JSON.parse(response);
      } catch (err) {
        setLocalError(`The response is not valid JSON (${(err as Error).message}). Fix it or untick "as JSON".`);
        return;
      }
    }
    setSending(true);
    try {
      onAnswered(await api.post<Answered>(answerPath(step), { success, response: value }));
    } catch (err) {
      setError(err);
    } finally {
      setSending(false);
    }
  }

  const responseErrors = about('/response');
  return (
    <form className="answer-form" onSubmit={submit} data-testid="answer-form" aria-label={`Answer ${step.step_name || step.step_id}`}>
      <fieldset>
        <legend>Outcome</legend>
        <label className="inline">
          <input type="radio" name={`${id}-success`} checked={success} onChange={() => setSuccess(true)} data-testid="answer-success" />
          Succeeded: go on the success path
        </label>
        <label className="inline">
          <input type="radio" name={`${id}-success`} checked={!success} onChange={() => setSuccess(false)} data-testid="answer-failure" />
          Failed: take the failure path
        </label>
        {about('/success').map((f) => (
          <span key={f.pointer} className="field-error" role="alert">
            {f.message}
          </span>
        ))}
      </fieldset>
      <label>
        Response
        <textarea
          rows={3}
          value={response}
          onChange={(e) => setResponse(e.target.value)}
          data-testid="answer-response"
          placeholder={asJson ? '{"contain": true}' : 'What you decided, for the record and the playbook'}
          aria-invalid={responseErrors.length > 0 || !!localError}
        />
      </label>
      <label className="inline">
        <input type="checkbox" checked={asJson} onChange={(e) => setAsJson(e.target.checked)} />
        Send the response as JSON
      </label>
      {localError && (
        <span className="field-error" role="alert">
          {localError}
        </span>
      )}
      {responseErrors.map((f) => (
        <span key={f.pointer} className="field-error" role="alert">
          {f.pointer}: {f.message}
        </span>
      ))}
      {error !== null && (other.length > 0 || fieldErrors.length === 0) && <ErrorBanner error={error} />}
      <div>
        <button type="submit" className="primary" disabled={sending} data-testid="answer-submit">
          {sending ? 'Sending…' : 'Send answer'}
        </button>
      </div>
    </form>
  );
}
