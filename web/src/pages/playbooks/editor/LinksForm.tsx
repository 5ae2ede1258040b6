// The links of the selected step, as form controls: the keyboard's way to
// do what dragging between handles does in the graph. Single links pick a
// step; parallel branches and switch cases are lists with add and remove.
import { useState } from 'react';
import type { CacaoStep, EdgeKind } from '../../../graph/cacao';
import { linkKindLabels, linkKinds } from '../../../graph/edit';
import { shortId } from '../../../components/format';
import { Field } from './Field';
import { FieldProblems } from './FieldProblems';
import { messagesAt, type Problem } from './problems';

export interface LinkActions {
  link: (kind: EdgeKind, target: string, caseValue?: string) => void;
  unlink: (kind: EdgeKind, target: string, label: string) => void;
}

function stepOption(id: string, s: CacaoStep | undefined): string {
  if (!s) return `(missing step) ${id}`;
  return `${s.name?.trim() || s.type} · ${s.type} ${shortId(id)}`;
}

function StepSelect(props: {
  id?: string;
  value: string;
  self: string;
  workflow: Record<string, CacaoStep>;
  none: string;
  label?: string;
  onChange: (target: string) => void;
}) {
  const ids = Object.keys(props.workflow).filter((k) => k !== props.self);
  const missing = props.value && !props.workflow[props.value];
  return (
    <select id={props.id} aria-label={props.label} value={props.value} onChange={(e) => props.onChange(e.target.value)}>
      <option value="">{props.none}</option>
      {missing && <option value={props.value}>{stepOption(props.value, undefined)}</option>}
      {ids.map((k) => (
        <option key={k} value={k}>
          {stepOption(k, props.workflow[k])}
        </option>
      ))}
    </select>
  );
}

const casePattern = /^[a-zA-Z0-9_-]{1,250}$/;

function CasesField(props: { self: string; step: CacaoStep; workflow: Record<string, CacaoStep>; actions: LinkActions; problems: Problem[] }) {
  const [value, setValue] = useState('');
  const [target, setTarget] = useState('');
  const cases = props.step.cases ?? {};
  const bad = value !== '' && !casePattern.test(value);
  const taken = value in cases;
  return (
    <fieldset className="pb-links-list">
      <legend>Switch cases (each a branch that must reach an end step)</legend>
      <FieldProblems messages={messagesAt(props.problems.filter((p) => p.path.length <= 1))} />
      {Object.entries(cases).map(([k, t]) => (
        <div className="pb-row" key={k}>
          <code className="pb-case-value">{k}</code>
          <StepSelect
            value={t}
            self={props.self}
            workflow={props.workflow}
            none="— choose a step —"
            label={`Step for case ${k}`}
            onChange={(nt) => (nt ? props.actions.link('case', nt, k) : props.actions.unlink('case', t, k))}
          />
          <button type="button" onClick={() => props.actions.unlink('case', t, k)} aria-label={`Remove case ${k}`}>
            Remove
          </button>
          <FieldProblems messages={messagesAt(props.problems, k)} />
        </div>
      ))}
      <div className="pb-row pb-add-link">
        <Field label="Case value" hint={'Letters, digits, _ and -; "default" matches anything else.'} error={bad ? 'Use letters, digits, _ and - only.' : taken ? 'This case exists.' : null}>
          {(id, describedBy) => <input id={id} value={value} size={10} aria-describedby={describedBy} data-testid="case-value" onChange={(e) => setValue(e.target.value)} />}
        </Field>
        <Field label="Goes to">
          {(id) => <StepSelect id={id} value={target} self={props.self} workflow={props.workflow} none="— choose a step —" onChange={setTarget} />}
        </Field>
        <button
          type="button"
          disabled={!value || bad || taken || !target}
          onClick={() => {
            props.actions.link('case', target, value);
            setValue('');
            setTarget('');
          }}
        >
          Add case
        </button>
      </div>
    </fieldset>
  );
}

function BranchesField(props: { self: string; step: CacaoStep; workflow: Record<string, CacaoStep>; actions: LinkActions; problems: Problem[] }) {
  const list = Array.isArray(props.step.next_steps) ? props.step.next_steps : [];
  return (
    <fieldset className="pb-links-list">
      <legend>Parallel branches (next_steps: two or more, each reaching an end step)</legend>
      <FieldProblems messages={messagesAt(props.problems.filter((p) => p.path.length === 0))} />
      {list.map((t, i) => (
        <div className="pb-row" key={`${t}-${i}`}>
          <span className="pb-link-target">{stepOption(t, props.workflow[t])}</span>
          <button type="button" onClick={() => props.actions.unlink('next_steps', t, '')} aria-label={`Remove branch ${i + 1}`}>
            Remove
          </button>
          <FieldProblems messages={messagesAt(props.problems, String(i))} />
        </div>
      ))}
      <div className="pb-row">
        <StepSelect
          value=""
          self={props.self}
          workflow={props.workflow}
          none="Add a branch to…"
          label="Add a parallel branch"
          onChange={(t) => t && props.actions.link('next_steps', t)}
        />
      </div>
    </fieldset>
  );
}

export function LinksForm(props: { id: string; step: CacaoStep; workflow: Record<string, CacaoStep>; actions: LinkActions; problems: Problem[] }) {
  const { id, step, workflow, actions, problems } = props;
  const kinds = linkKinds(step.type);
  if (!kinds.length) return <p className="muted">An end step finishes the workflow or its branch: it links nowhere.</p>;
  return (
    <div className="pb-links">
      {kinds.map((kind) => {
        if (kind === 'next_steps') return <BranchesField key={kind} self={id} step={step} workflow={workflow} actions={actions} problems={problems.filter((p) => p.path[0] === 'next_steps').map((p) => ({ ...p, path: p.path.slice(1) }))} />;
        if (kind === 'case') return <CasesField key={kind} self={id} step={step} workflow={workflow} actions={actions} problems={problems.filter((p) => p.path[0] === 'cases').map((p) => ({ ...p, path: p.path.slice(1) }))} />;
        const current = typeof step[kind] === 'string' ? (step[kind] as string) : '';
        return (
          <Field key={kind} label={`Next step ${linkKindLabels[kind]}`} problems={messagesAt(problems, kind)}>
            {(fid) => (
              <StepSelect
                id={fid}
                value={current}
                self={id}
                workflow={workflow}
                none="— none —"
                onChange={(t) => (t ? actions.link(kind, t) : actions.unlink(kind, current, ''))}
              />
            )}
          </Field>
        );
      })}
    </div>
  );
}
