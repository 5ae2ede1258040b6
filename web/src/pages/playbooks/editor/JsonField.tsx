// A JSON value edited as text. While the text does not parse (or is not the
// expected kind) the error shows under it and the editor will not save; each
// valid edit goes straight into the document. Empty text removes the value.
import { useState } from 'react';
import { Field } from './Field';
import { useDraftProblem } from './drafts';

function show(value: unknown): string {
  return value === undefined ? '' : JSON.stringify(value, null, 2);
}

export function JsonField(props: {
  label: string;
  value: unknown;
  onChange: (value: unknown) => void;
  draftKey: string;
  expect?: 'object' | 'any';
  rows?: number;
  problems?: string[];
  hint?: string;
  testId?: string;
}) {
  const [text, setText] = useState(() => show(props.value));
  const [error, setError] = useState<string | null>(null);
  useDraftProblem(props.draftKey, error ? `${props.label}: ${error}` : null);

  const edit = (t: string) => {
    setText(t);
    if (!t.trim()) {
      setError(null);
      props.onChange(undefined);
      return;
    }
    try {
      const v: unknown = JSON.parse(t);
      if (props.expect === 'object' && (v === null || typeof v !== 'object' || Array.isArray(v))) {
        setError('must be a JSON object ({...})');
        return;
      }
      setError(null);
      props.onChange(v);
    } catch (e) {
      setError(`not valid JSON: ${(e as Error).message}`);
    }
  };

  return (
    <Field label={props.label} hint={props.hint} error={error} problems={props.problems}>
      {(id, describedBy, invalid) => (
        <textarea
          id={id}
          rows={props.rows ?? 5}
          value={text}
          spellCheck={false}
          aria-invalid={invalid}
          aria-describedby={describedBy}
          data-testid={props.testId}
          onChange={(e) => edit(e.target.value)}
        />
      )}
    </Field>
  );
}
