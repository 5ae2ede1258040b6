// One command of an action step. http-api commands (method, URL or path,
// headers, body) and manual commands (the question) have a form; every
// command can also be edited as raw JSON, the only way for other types.
import { useState } from 'react';
import { Field, TextField } from './Field';
import { JsonField } from './JsonField';
import { FieldProblems } from './FieldProblems';
import { messagesAt, type Problem } from './problems';
import { useDraftProblem } from './drafts';
import { formatRequestLine, headersToText, httpMethods, parseRequestLine, textToHeaders } from './httpCommand';

export type Command = Record<string, unknown>;

// The command types atio runs (GET /api/v1/openapi.json lists none; these
// are the built-ins of src/atio/actions/builtin.cc).
export const commandTypes = ['http-api', 'manual', 'x-atio-lua', 'x-atio-convert', 'x-atio-enrich', 'x-atio-case', 'x-atio-monitor', 'bash', 'x-atio-python', 'ssh', 'x-atio-misp', 'x-atio-iris', 'x-atio-thehive', 'x-atio-opensearch', 'x-atio-webhook', 'x-atio-chat', 'x-atio-syslog', 'x-atio-email', 'openc2-http'];
const withForm = new Set(['http-api', 'manual']);

function HeadersField({ value, onChange, draftKey, problems }: { value: unknown; onChange: (h: unknown) => void; draftKey: string; problems: string[] }) {
  const [text, setText] = useState(() => headersToText(value));
  const parsed = textToHeaders(text);
  useDraftProblem(draftKey, parsed.error ? `Headers: ${parsed.error}` : null);
  return (
    <Field label="Headers" hint="One per line: Name: value" error={parsed.error} problems={problems}>
      {(id, describedBy, invalid) => (
        <textarea
          id={id}
          rows={3}
          value={text}
          spellCheck={false}
          aria-describedby={describedBy}
          aria-invalid={invalid}
          onChange={(e) => {
            setText(e.target.value);
            const p = textToHeaders(e.target.value);
            if (!p.error) onChange(p.headers);
          }}
        />
      )}
    </Field>
  );
}

function HttpApiForm({ cmd, set, draftKey, problems }: { cmd: Command; set: (patch: Command) => void; draftKey: string; problems: Problem[] }) {
  const line = parseRequestLine(cmd.command);
  const setLine = (patch: Partial<typeof line>) => set({ command: formatRequestLine({ ...line, ...patch }) });
  return (
    <>
      <div className="pb-row">
        <Field label="Method" className="pb-narrow">
          {(id) => (
            <select id={id} value={line.method} onChange={(e) => setLine({ method: e.target.value })}>
              {[...new Set([line.method, ...httpMethods])].map((m) => (
                <option key={m}>{m}</option>
              ))}
            </select>
          )}
        </Field>
        <TextField
          label="URL or path"
          hint="A path is sent to the step's http-api target or agent; a whole URL needs neither."
          value={line.target}
          placeholder="/api/v2/alerts or https://host/path"
          problems={messagesAt(problems, 'command')}
          onChange={(v) => setLine({ target: v ?? '' })}
        />
      </div>
      <HeadersField value={cmd.headers} draftKey={`${draftKey}/headers`} problems={messagesAt(problems, 'headers')} onChange={(h) => set({ headers: h })} />
      <TextField
        label="Body (content)"
        multiline
        value={cmd.content}
        hint="Variables such as __event__:value are substituted when the step runs."
        problems={messagesAt(problems, 'content')}
        onChange={(v) => set({ content: v })}
      />
    </>
  );
}

export function CommandForm(props: {
  cmd: Command;
  index: number;
  draftKey: string;
  problems: Problem[]; // under commands/<index>
  onChange: (cmd: Command) => void;
  onRemove: () => void;
}) {
  const { cmd, problems } = props;
  const type = typeof cmd.type === 'string' ? cmd.type : '';
  const [raw, setRaw] = useState(!withForm.has(type));
  const set = (patch: Command) => {
    const next: Command = { ...cmd };
    for (const [k, v] of Object.entries(patch)) {
      if (v === undefined) delete next[k];
      else next[k] = v;
    }
    props.onChange(next);
  };
  const useRaw = raw || !withForm.has(type);
  const formFields = ['type', 'command', 'headers', 'content'];
  const elsewhere = useRaw ? [] : problems.filter((p) => !formFields.includes(p.path[0] ?? ''));
  return (
    <fieldset className="pb-command" data-testid="command">
      <legend>Command {props.index + 1}</legend>
      <div className="pb-row">
        <Field label="Type" problems={messagesAt(problems, 'type')}>
          {(id, _d, invalid) => (
            <select id={id} value={type} aria-invalid={invalid} data-testid="command-type" onChange={(e) => set({ type: e.target.value })}>
              {[...new Set([type, ...commandTypes])].map((t) => (
                <option key={t} value={t}>
                  {t || '(none)'}
                </option>
              ))}
            </select>
          )}
        </Field>
        <div className="pb-command-buttons">
          {withForm.has(type) && (
            <button type="button" onClick={() => setRaw(!raw)} aria-pressed={raw}>
              {raw ? 'Form' : 'JSON'}
            </button>
          )}
          <button type="button" className="danger" onClick={props.onRemove}>
            Remove command
          </button>
        </div>
      </div>
      <FieldProblems messages={messagesAt(elsewhere)} />
      {useRaw ? (
        <JsonField
          key={`${type}|${raw}`}
          label="Command as JSON"
          hint={type.startsWith('x-atio-') ? `See atio's docs for ${type}'s properties.` : undefined}
          value={cmd}
          expect="object"
          rows={8}
          draftKey={`${props.draftKey}/raw`}
          problems={messagesAt(problems.filter((p) => p.path[0] !== 'type'))}
          testId="command-json"
          onChange={(v) => v !== undefined && props.onChange(v as Command)}
        />
      ) : type === 'http-api' ? (
        <HttpApiForm cmd={cmd} set={set} draftKey={props.draftKey} problems={problems} />
      ) : (
        <TextField
          label="Question for the person"
          multiline
          value={cmd.command}
          keepEmpty
          hint="Shown in the manual steps inbox; variables such as __ip__:value are substituted."
          problems={messagesAt(problems, 'command')}
          testId="manual-question"
          onChange={(v) => set({ command: v ?? '' })}
        />
      )}
    </fieldset>
  );
}
