// One labelled control of the editor's forms, with its hint, its own input
// error (e.g. JSON that does not parse) and atio's messages about it.
import { useId, type ReactNode } from 'react';
import { FieldProblems } from './FieldProblems';

export function Field(props: {
  label: string;
  hint?: string;
  error?: string | null;
  problems?: string[];
  className?: string;
  children: (id: string, describedBy: string | undefined, invalid: boolean) => ReactNode;
}) {
  const id = useId();
  const hintId = `${id}-hint`;
  const invalid = !!props.error || !!props.problems?.length;
  return (
    <div className={['pb-field', invalid ? 'invalid' : '', props.className ?? ''].filter(Boolean).join(' ')}>
      <label htmlFor={id}>{props.label}</label>
      {props.hint && (
        <span className="muted pb-hint" id={hintId}>
          {props.hint}
        </span>
      )}
      {props.children(id, props.hint ? hintId : undefined, invalid)}
      {props.error && (
        <span className="pb-field-error" role="alert" data-testid="input-error">
          {props.error}
        </span>
      )}
      <FieldProblems messages={props.problems ?? []} />
    </div>
  );
}

// A text input bound to a string property; empty text removes the property.
export function TextField(props: {
  label: string;
  value: unknown;
  onChange: (value: string | undefined) => void;
  hint?: string;
  problems?: string[];
  placeholder?: string;
  multiline?: boolean;
  testId?: string;
  keepEmpty?: boolean; // write "" instead of removing the property
}) {
  const value = typeof props.value === 'string' ? props.value : props.value === undefined ? '' : String(props.value);
  const set = (v: string) => props.onChange(v === '' && !props.keepEmpty ? undefined : v);
  return (
    <Field label={props.label} hint={props.hint} problems={props.problems}>
      {(id, describedBy, invalid) =>
        props.multiline ? (
          <textarea
            id={id}
            rows={3}
            value={value}
            placeholder={props.placeholder}
            aria-describedby={describedBy}
            aria-invalid={invalid}
            data-testid={props.testId}
            onChange={(e) => set(e.target.value)}
          />
        ) : (
          <input
            id={id}
            type="text"
            value={value}
            placeholder={props.placeholder}
            aria-describedby={describedBy}
            aria-invalid={invalid}
            data-testid={props.testId}
            onChange={(e) => set(e.target.value)}
          />
        )
      }
    </Field>
  );
}
