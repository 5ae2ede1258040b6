// The side form of the selected step: name and description, what its type
// needs (condition, switch, playbook, agent), its links, timing, arguments,
// step variables and commands. atio's messages about the step show next to
// the field they name; those about nothing shown here, at the top.
import type { CacaoStep } from '../../../graph/cacao';
import { useApi } from '../../../api/hooks';
import type { PlaybookSummary } from '../../../api/types';
import { Field, TextField } from './Field';
import { FieldProblems } from './FieldProblems';
import { JsonField } from './JsonField';
import { LinksForm, type LinkActions } from './LinksForm';
import { CommandForm, type Command } from './CommandForm';
import { messagesAt, under, type Problem } from './problems';

const shownKeys = new Set([
  'type', 'name', 'description', 'condition', 'switch', 'cases', 'playbook_id', 'agent', 'delay', 'timeout',
  'in_args', 'out_args', 'step_variables', 'commands', 'on_completion', 'on_success', 'on_failure',
  'on_true', 'on_false', 'next_steps',
]);

function NumberField(props: { label: string; value: unknown; hint: string; problems: string[]; onChange: (v: number | undefined) => void }) {
  const value = typeof props.value === 'number' ? String(props.value) : '';
  return (
    <Field label={props.label} hint={props.hint} problems={props.problems}>
      {(id, describedBy, invalid) => (
        <input
          id={id}
          type="number"
          min={0}
          step={1}
          value={value}
          aria-describedby={describedBy}
          aria-invalid={invalid}
          onChange={(e) => props.onChange(e.target.value === '' ? undefined : Math.trunc(Number(e.target.value)))}
        />
      )}
    </Field>
  );
}

// in_args / out_args as a comma-separated list of variable names.
function ArgsField(props: { label: string; value: unknown; problems: string[]; onChange: (v: string[] | undefined) => void }) {
  const text = Array.isArray(props.value) ? props.value.join(', ') : '';
  return (
    <Field label={props.label} hint="Variable names, separated by commas, e.g. __event__, __ip__" problems={props.problems}>
      {(id, describedBy, invalid) => (
        <input
          id={id}
          type="text"
          defaultValue={text}
          aria-describedby={describedBy}
          aria-invalid={invalid}
          onChange={(e) => {
            const list = e.target.value.split(',').map((s) => s.trim()).filter(Boolean);
            props.onChange(list.length ? list : undefined);
          }}
        />
      )}
    </Field>
  );
}

function AgentField(props: { value: unknown; agents: Record<string, { name?: string; type?: string }>; problems: string[]; onChange: (v: string | undefined) => void }) {
  const value = typeof props.value === 'string' ? props.value : '';
  const ids = Object.keys(props.agents);
  return (
    <Field label="Agent" hint="Who or what runs the commands (the playbook's agent definitions)." problems={props.problems}>
      {(id, describedBy, invalid) => (
        <select id={id} value={value} aria-describedby={describedBy} aria-invalid={invalid} onChange={(e) => props.onChange(e.target.value || undefined)}>
          <option value="">— none —</option>
          {value && !props.agents[value] && <option value={value}>{value} (not defined)</option>}
          {ids.map((a) => (
            <option key={a} value={a}>
              {props.agents[a]?.name ?? a} ({props.agents[a]?.type ?? a.split('--')[0]})
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

function PlaybookIdField(props: { value: unknown; self: string; problems: string[]; onChange: (v: string) => void }) {
  const list = useApi<{ playbooks: PlaybookSummary[] }>('/playbooks');
  const value = typeof props.value === 'string' ? props.value : '';
  const others = (list.data?.playbooks ?? []).filter((p) => p.id !== props.self);
  return (
    <Field label="Playbook to run" hint="A playbook stored in atio." problems={props.problems}>
      {(id, describedBy, invalid) => (
        <select id={id} value={value} aria-describedby={describedBy} aria-invalid={invalid} onChange={(e) => props.onChange(e.target.value)}>
          <option value="">{list.loading ? 'Loading playbooks…' : '— choose a playbook —'}</option>
          {value && !others.some((p) => p.id === value) && <option value={value}>{value}</option>}
          {others.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

export function StepForm(props: {
  id: string;
  step: CacaoStep;
  workflow: Record<string, CacaoStep>;
  agents: Record<string, { name?: string; type?: string }>;
  playbookId: string;
  problems: Problem[];
  patch: (patch: Record<string, unknown>) => void;
  links: LinkActions;
  onDelete: () => void;
}) {
  const { id, step, problems, patch } = props;
  const t = step.type;
  const commands = Array.isArray(step.commands) ? (step.commands as Command[]) : [];
  const setCommands = (list: Command[]) => patch({ commands: list });
  const elsewhere = problems.filter((p) => p.path.length === 0 || !shownKeys.has(p.path[0]));
  const linkProblems = problems.filter((p) => ['on_completion', 'on_success', 'on_failure', 'on_true', 'on_false', 'next_steps', 'cases'].includes(p.path[0] ?? ''));
  return (
    <div className="pb-step-form" data-testid="step-form" data-step-id={id}>
      <div className="pb-form-head">
        <h2>
          <span className="badge">{t}</span> {step.name || 'Unnamed step'}
        </h2>
        <button type="button" className="danger" onClick={props.onDelete}>
          Delete step
        </button>
      </div>
      <p className="mono muted pb-step-id">{id}</p>
      <div data-testid="step-problems-list">
        <FieldProblems messages={messagesAt(elsewhere)} />
      </div>
      <TextField label="Name" value={step.name} problems={messagesAt(problems, 'name')} testId="step-name" onChange={(v) => patch({ name: v })} />
      <TextField label="Description" multiline value={step.description} problems={messagesAt(problems, 'description')} onChange={(v) => patch({ description: v })} />
      {(t === 'if-condition' || t === 'while-condition') && (
        <TextField
          label="Condition"
          keepEmpty
          value={step.condition}
          placeholder="__risk__:value >= 60"
          hint={t === 'while-condition' ? 'The on true branch runs again while this holds.' : 'Chooses the on true or the on false branch.'}
          problems={messagesAt(problems, 'condition')}
          testId="step-condition"
          onChange={(v) => patch({ condition: v ?? '' })}
        />
      )}
      {t === 'switch-condition' && (
        <TextField
          label="Switch on"
          keepEmpty
          value={step.switch}
          placeholder="__app__"
          hint="The variable whose value picks the case."
          problems={messagesAt(problems, 'switch')}
          onChange={(v) => patch({ switch: v ?? '' })}
        />
      )}
      {t === 'playbook-action' && (
        <PlaybookIdField value={step.playbook_id} self={props.playbookId} problems={messagesAt(problems, 'playbook_id')} onChange={(v) => patch({ playbook_id: v })} />
      )}
      {t === 'action' && <AgentField value={step.agent} agents={props.agents} problems={messagesAt(problems, 'agent')} onChange={(v) => patch({ agent: v })} />}

      <h3>Links</h3>
      <LinksForm id={id} step={step} workflow={props.workflow} actions={props.links} problems={linkProblems} />

      {t === 'action' && (
        <>
          <h3>Commands</h3>
          <FieldProblems messages={messagesAt(problems.filter((p) => p.path.length === 1), 'commands')} />
          {commands.map((c, i) => (
            <CommandForm
              key={`${id}-${i}-${commands.length}`}
              cmd={c}
              index={i}
              draftKey={`${id}/commands/${i}`}
              problems={under(problems, 'commands', String(i))}
              onChange={(nc) => setCommands(commands.map((old, j) => (j === i ? nc : old)))}
              onRemove={() => setCommands(commands.filter((_, j) => j !== i))}
            />
          ))}
          <div className="pb-row">
            <button type="button" onClick={() => setCommands([...commands, { type: 'http-api', command: 'GET / HTTP/1.1' }])}>
              Add http-api command
            </button>
            <button type="button" onClick={() => setCommands([...commands, { type: 'manual', command: '' }])}>
              Add manual command
            </button>
            <button type="button" onClick={() => setCommands([...commands, { type: 'x-atio-lua', command: 'return {}' }])}>
              Add Lua command
            </button>
          </div>
        </>
      )}

      <h3>Timing</h3>
      <div className="pb-row">
        <NumberField label="Delay (ms)" hint="Wait before the step starts." value={step.delay} problems={messagesAt(problems, 'delay')} onChange={(v) => patch({ delay: v })} />
        <NumberField label="Timeout (ms)" hint="Fail the step (on failure) after this." value={step.timeout} problems={messagesAt(problems, 'timeout')} onChange={(v) => patch({ timeout: v })} />
      </div>
      {(t === 'action' || t === 'playbook-action') && (
        <>
          <h3>Variables</h3>
          <ArgsField key={`${id}-in`} label="In args" value={step.in_args} problems={messagesAt(problems, 'in_args')} onChange={(v) => patch({ in_args: v })} />
          <ArgsField key={`${id}-out`} label="Out args" value={step.out_args} problems={messagesAt(problems, 'out_args')} onChange={(v) => patch({ out_args: v })} />
        </>
      )}
      <JsonField
        key={`${id}-vars`}
        label="Step variables"
        hint={'JSON object: {"__name__": {"type": "string", "value": "..."}}'}
        value={step.step_variables}
        expect="object"
        draftKey={`${id}/step_variables`}
        problems={messagesAt(problems, 'step_variables')}
        onChange={(v) => patch({ step_variables: v })}
      />
    </div>
  );
}
