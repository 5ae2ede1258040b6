// atio's refusals for a whole document (an import, a save, a run): the
// message, then each field error (JSON pointer + message) on its own line.
import { ApiError, type FieldError } from '../../api/client';
import { ErrorBanner } from '../../components/DataState';

export function FieldErrorList({ errors, testId }: { errors: FieldError[]; testId?: string }) {
  if (!errors.length) return null;
  return (
    <ul className="pb-field-errors" data-testid={testId}>
      {errors.map((e, i) => (
        <li key={i}>
          <code>{e.pointer || '(document)'}</code> {e.message}
        </li>
      ))}
    </ul>
  );
}

// ErrorBanner for most errors; for field errors, the message and the list.
export function RequestError({ error, hint, testId }: { error: unknown; hint?: string; testId?: string }) {
  if (!error) return null;
  if (error instanceof ApiError && error.errors.length) {
    return (
      <div className="error-banner" role="alert" data-testid={testId}>
        <strong>{error.message}</strong>
        {hint && <span> {hint}</span>}
        <FieldErrorList errors={error.errors} />
      </div>
    );
  }
  return (
    <div data-testid={testId}>
      <ErrorBanner error={error} />
    </div>
  );
}
