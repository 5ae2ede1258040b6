// A JSON document edited as text: says at once where the text stops being
// JSON, and lists atio's field errors (JSON pointers into the document) with
// the value each one points at.
import { useId } from 'react';
import { fieldErrors } from './FieldErrors';

// The parsed text, or the parser's message (which names the position).
export function parseJson(text: string): { value?: unknown; error?: string } {
  try {
    return { value: JSON.parse(text) };
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
}

function at(doc: unknown, pointer: string): unknown {
  let v: unknown = doc;
  for (const raw of pointer.split('/').slice(1)) {
    const k = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[k];
  }
  return v;
}

export function JsonEditor(props: { label: string; value: string; onChange: (text: string) => void; error: unknown; rows?: number }) {
  const id = useId();
  const parsed = parseJson(props.value);
  const problems = fieldErrors(props.error);
  return (
    <div className="json-editor">
      <label htmlFor={id}>{props.label}</label>
      <textarea
        id={id}
        rows={props.rows ?? 20}
        spellCheck={false}
        value={props.value}
        aria-invalid={!!parsed.error || problems.length > 0}
        aria-describedby={`${id}-err`}
        onChange={(e) => props.onChange(e.target.value)}
      />
      <div id={`${id}-err`}>
        {parsed.error && (
          <p className="field-errors" role="alert" data-testid="json-parse-error">
            Not JSON: {parsed.error}
          </p>
        )}
        {!parsed.error && problems.length > 0 && (
          <ul className="field-errors" role="alert" data-testid="json-field-errors">
            {problems.map((f, i) => {
              const v = f.pointer ? at(parsed.value, f.pointer) : undefined;
              return (
                <li key={i}>
                  <code>{f.pointer || '(document)'}</code> {f.message}
                  {v !== undefined && typeof v !== 'object' && <span className="muted"> (is {JSON.stringify(v)})</span>}
                </li>
              );
            })}
          </ul>
        )}
      </div>
    </div>
  );
}
