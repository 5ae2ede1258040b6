// The error of a form's action, shown next to the form: atio's message and
// each field error (JSON pointer + message) it names, without repeating a
// field message that only restates the message.
import { ApiError, describeError } from '../api/client';

export function FormError({ error, id }: { error: unknown; id?: string }) {
  if (!error) return null;
  if (!(error instanceof ApiError)) {
    return (
      <p className="form-error" role="alert" id={id}>
        {describeError(error)}
      </p>
    );
  }
  const fields = error.errors.filter((f) => f.message !== error.message);
  let hint = '';
  if (error.status === 403) hint = ' Your role does not allow this; ask an admin.';
  if (error.status === 409) hint = ' The page now shows the current state; pick again.';
  return (
    <div className="form-error" role="alert" id={id} data-testid="form-error" data-status={error.status}>
      <strong>{error.message}</strong>
      {hint}
      {fields.length > 0 && (
        <ul>
          {fields.map((f, i) => (
            <li key={i}>
              <code>{f.pointer || '(body)'}</code>: {f.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
