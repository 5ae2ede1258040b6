// The playbook's own fields, shown when no step is selected: name,
// description, where the workflow starts and the playbook variables.
import type { CacaoPlaybook } from '../../../graph/cacao';
import { shortId } from '../../../components/format';
import { Field, TextField } from './Field';
import { JsonField } from './JsonField';
import { messagesAt, type Problem } from './problems';

export function PlaybookForm(props: { doc: CacaoPlaybook; problems: Problem[]; patch: (p: Record<string, unknown>) => void }) {
  const { doc, problems, patch } = props;
  const starts = Object.entries(doc.workflow ?? {}).filter(([, s]) => s.type === 'start');
  return (
    <div className="pb-playbook-form" data-testid="playbook-form">
      <h2>Playbook</h2>
      <p className="mono muted">{doc.id}</p>
      <p className="muted">Select a step in the graph to edit it; add steps from the palette.</p>
      <TextField label="Name" keepEmpty value={doc.name} problems={messagesAt(problems, 'name')} testId="playbook-name-input" onChange={(v) => patch({ name: v ?? '' })} />
      <TextField label="Description" multiline value={doc.description} problems={messagesAt(problems, 'description')} onChange={(v) => patch({ description: v })} />
      <Field label="Workflow starts at" problems={messagesAt(problems, 'workflow_start')}>
        {(id, _d, invalid) => (
          <select id={id} value={doc.workflow_start ?? ''} aria-invalid={invalid} onChange={(e) => patch({ workflow_start: e.target.value })}>
            <option value="">— choose a start step —</option>
            {starts.map(([sid, s]) => (
              <option key={sid} value={sid}>
                {s.name || 'start'} {shortId(sid)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <JsonField
        key={`${doc.id}-variables`}
        label="Playbook variables"
        hint={'JSON object: {"__name__": {"type": "string", "value": "...", "external": true}}'}
        value={doc.playbook_variables}
        expect="object"
        rows={10}
        draftKey="playbook_variables"
        problems={messagesAt(problems, 'playbook_variables')}
        testId="playbook-variables"
        onChange={(v) => patch({ playbook_variables: v })}
      />
    </div>
  );
}
