// atio's field errors (ApiError.errors: a JSON pointer and a message) shown
// next to the form control they concern. A control owns a pointer and every
// pointer below it (/ips owns /ips/0); what no control owns is listed at the
// top of the form by FormErrors.
import { useId, type ReactNode } from 'react';
import { ApiError, type FieldError } from '../api/client';

export function fieldErrors(error: unknown): FieldError[] {
  return error instanceof ApiError ? error.errors : [];
}

function owns(pointer: string, p: string): boolean {
  return p === pointer || p.startsWith(pointer + '/');
}

// Messages for `pointer` and below; an item's position is named ("item 2: ...").
export function errorsAt(error: unknown, pointer: string): string[] {
  return fieldErrors(error)
    .filter((f) => owns(pointer, f.pointer))
    .map((f) => {
      const rest = f.pointer.slice(pointer.length).replace(/^\//, '');
      if (rest === '') return f.message;
      if (/^\d+$/.test(rest)) return `item ${Number(rest) + 1}: ${f.message}`;
      return `${rest}: ${f.message}`;
    });
}

export function FieldMessages({ messages, id }: { messages: string[]; id?: string }) {
  if (messages.length === 0) return null;
  return (
    <ul className="field-errors" id={id} role="alert">
      {messages.map((m, i) => (
        <li key={i}>{m}</li>
      ))}
    </ul>
  );
}

// A labelled control with its hint and its errors, wired for screen readers.
export function Field(props: {
  label: string;
  pointer: string;
  error: unknown;
  hint?: ReactNode;
  children: (a: { id: string; 'aria-invalid': boolean; 'aria-describedby': string }) => ReactNode;
}) {
  const id = useId();
  const messages = errorsAt(props.error, props.pointer);
  return (
    <div className={'field' + (messages.length ? ' invalid' : '')} data-pointer={props.pointer}>
      <label htmlFor={id}>{props.label}</label>
      {props.children({ id, 'aria-invalid': messages.length > 0, 'aria-describedby': `${id}-hint ${id}-err` })}
      {props.hint && (
        <span className="hint" id={`${id}-hint`}>
          {props.hint}
        </span>
      )}
      <FieldMessages messages={messages} id={`${id}-err`} />
    </div>
  );
}

// The error of a form: its message, and the field errors no control shows.
export function FormErrors({ error, shown }: { error: unknown; shown: string[] }) {
  if (!error) return null;
  const rest = fieldErrors(error).filter((f) => !shown.some((p) => owns(p, f.pointer)));
  const raw = error instanceof Error ? error.message : String(error);
  const message = raw.charAt(0).toUpperCase() + raw.slice(1) + (/[.!?]$/.test(raw) ? '' : '.');
  const hint =
    error instanceof ApiError && error.status === 403
      ? ' Your role does not allow this; ask an admin.'
      : error instanceof ApiError && error.errors.length > 0
        ? ' See the fields marked below.'
        : '';
  return (
    <div className="error-banner" role="alert" data-testid="form-error">
      <strong>{message}</strong>
      {hint}
      {rest.length > 0 && (
        <ul>
          {rest.map((f, i) => (
            <li key={i}>
              {f.pointer && <code>{f.pointer}</code>} {f.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
