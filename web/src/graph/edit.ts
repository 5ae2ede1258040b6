// Edits of a CACAO 2.0 document for the graph editor. Every function takes
// the whole document and returns a new one, changing only what it names:
// properties the editor does not know (agents, targets, extensions, markings,
// x-... properties) pass through untouched.
import type { CacaoPlaybook, CacaoStep, EdgeKind, GraphEdge, StepType } from './cacao';

// A random (version 4) UUID; crypto.randomUUID needs a secure context, which
// a UI served over plain HTTP on another host than localhost is not.
export function uuid4(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export function newStepId(type: StepType): string {
  return `${type}--${uuid4()}`;
}

// The links a step of this type may make, in the order the editor offers them.
export function linkKinds(type: string): EdgeKind[] {
  switch (type) {
    case 'end':
      return [];
    case 'start':
      return ['on_completion'];
    case 'parallel':
      return ['next_steps', 'on_completion', 'on_success', 'on_failure'];
    case 'if-condition':
      return ['on_true', 'on_false', 'on_completion', 'on_success', 'on_failure'];
    case 'while-condition':
      return ['on_true', 'on_completion', 'on_success', 'on_failure'];
    case 'switch-condition':
      return ['case', 'on_completion', 'on_success', 'on_failure'];
    default:
      return ['on_completion', 'on_success', 'on_failure'];
  }
}

export const linkKindLabels: Record<EdgeKind, string> = {
  on_completion: 'on completion (always next)',
  on_success: 'on success',
  on_failure: 'on failure',
  next_steps: 'parallel branch (next_steps)',
  on_true: 'on true (branch)',
  on_false: 'on false (branch)',
  case: 'switch case (branch)',
};

// The link the editor proposes for a new connection: the first branch slot
// still free, else the first of the step's kinds.
export function defaultLinkKind(step: CacaoStep): EdgeKind | null {
  const kinds = linkKinds(step.type);
  if (kinds.length === 0) return null;
  if (step.type === 'if-condition') return step.on_true ? (step.on_false ? 'on_completion' : 'on_false') : 'on_true';
  if (step.type === 'while-condition') return step.on_true ? 'on_completion' : 'on_true';
  if (step.type === 'action' || step.type === 'playbook-action') {
    if (step.on_success || step.on_failure) return step.on_success ? 'on_failure' : 'on_success';
  }
  return kinds[0];
}

function withStep(doc: CacaoPlaybook, id: string, step: CacaoStep): CacaoPlaybook {
  return { ...doc, workflow: { ...doc.workflow, [id]: step } };
}

// Set (or, with undefined, remove) properties of one step.
export function patchStep(doc: CacaoPlaybook, id: string, patch: Record<string, unknown>): CacaoPlaybook {
  const old = doc.workflow[id];
  if (!old) return doc;
  const step: CacaoStep = { ...old };
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined) delete step[k];
    else step[k] = v;
  }
  return withStep(doc, id, step);
}

// Set (or remove) top-level properties of the playbook.
export function patchPlaybook(doc: CacaoPlaybook, patch: Record<string, unknown>): CacaoPlaybook {
  const out: CacaoPlaybook = { ...doc };
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined) delete out[k];
    else out[k] = v;
  }
  return out;
}

// The agent new action steps use: the first agent definition, created when
// the playbook has none (CACAO requires an agent on every action step).
function ensureAgent(doc: CacaoPlaybook): { doc: CacaoPlaybook; agent: string } {
  const defs = (doc.agent_definitions ?? {}) as Record<string, unknown>;
  const first = Object.keys(defs)[0];
  if (first) return { doc, agent: first };
  const agent = `individual--${uuid4()}`;
  return {
    doc: { ...doc, agent_definitions: { [agent]: { type: 'individual', name: 'atio' } } },
    agent,
  };
}

// A new step of this type with what CACAO requires of it (empty where the
// author must decide: a condition, a playbook id, a command).
export function addStep(doc: CacaoPlaybook, type: StepType): { doc: CacaoPlaybook; id: string } {
  const id = newStepId(type);
  let next = doc;
  let step: CacaoStep;
  switch (type) {
    case 'start':
      step = { type, name: 'Start' };
      break;
    case 'end':
      step = { type, name: 'End' };
      break;
    case 'action': {
      const a = ensureAgent(doc);
      next = a.doc;
      step = { type, name: 'New action', agent: a.agent, commands: [{ type: 'manual', command: '' }] };
      break;
    }
    case 'playbook-action':
      step = { type, name: 'Run a playbook', playbook_id: '' };
      break;
    case 'parallel':
      step = { type, name: 'In parallel', next_steps: [] };
      break;
    case 'if-condition':
      step = { type, name: 'If', condition: '' };
      break;
    case 'while-condition':
      step = { type, name: 'While', condition: '' };
      break;
    case 'switch-condition':
      step = { type, name: 'Switch', switch: '', cases: {} };
      break;
  }
  next = withStep(next, id, step);
  if (type === 'start' && (!next.workflow_start || !next.workflow[next.workflow_start])) {
    next = { ...next, workflow_start: id };
  }
  return { doc: next, id };
}

// Make `source` link to `target` as `kind`. Single-valued links are
// replaced; next_steps gains a branch; a case is added or replaced.
export function setLink(doc: CacaoPlaybook, source: string, kind: EdgeKind, target: string, caseValue = ''): CacaoPlaybook {
  const step = doc.workflow[source];
  if (!step) return doc;
  if (kind === 'next_steps') {
    const list = Array.isArray(step.next_steps) ? step.next_steps : [];
    if (list.includes(target)) return doc;
    return patchStep(doc, source, { next_steps: [...list, target] });
  }
  if (kind === 'case') {
    return patchStep(doc, source, { cases: { ...(step.cases ?? {}), [caseValue]: target } });
  }
  return patchStep(doc, source, { [kind]: target });
}

// Remove one link (an edge of the graph).
export function removeLink(doc: CacaoPlaybook, edge: Pick<GraphEdge, 'source' | 'kind' | 'label' | 'target'>): CacaoPlaybook {
  const step = doc.workflow[edge.source];
  if (!step) return doc;
  if (edge.kind === 'next_steps') {
    const list = Array.isArray(step.next_steps) ? [...step.next_steps] : [];
    const i = list.indexOf(edge.target);
    if (i >= 0) list.splice(i, 1);
    return patchStep(doc, edge.source, { next_steps: list });
  }
  if (edge.kind === 'case') {
    const cases = { ...(step.cases ?? {}) };
    delete cases[edge.label];
    return patchStep(doc, edge.source, { cases });
  }
  return patchStep(doc, edge.source, { [edge.kind]: undefined });
}

// Remove steps and every link to them.
export function removeSteps(doc: CacaoPlaybook, ids: string[]): CacaoPlaybook {
  const gone = new Set(ids);
  const workflow: Record<string, CacaoStep> = {};
  for (const [id, old] of Object.entries(doc.workflow)) {
    if (gone.has(id)) continue;
    let step = old;
    const edit = (k: string, v: unknown) => {
      if (step === old) step = { ...old };
      if (v === undefined) delete step[k];
      else step[k] = v;
    };
    for (const k of ['on_completion', 'on_success', 'on_failure', 'on_true', 'on_false'] as const) {
      if (typeof old[k] === 'string' && gone.has(old[k] as string)) edit(k, undefined);
    }
    if (Array.isArray(old.next_steps) && old.next_steps.some((t) => gone.has(t))) {
      edit('next_steps', old.next_steps.filter((t) => !gone.has(t)));
    }
    if (old.cases && Object.values(old.cases).some((t) => gone.has(t))) {
      edit('cases', Object.fromEntries(Object.entries(old.cases).filter(([, t]) => !gone.has(t))));
    }
    workflow[id] = step;
  }
  const out: CacaoPlaybook = { ...doc, workflow };
  if (gone.has(doc.workflow_start)) out.workflow_start = '';
  if (typeof doc.workflow_exception === 'string' && gone.has(doc.workflow_exception)) delete out.workflow_exception;
  return out;
}

// A timestamp as CACAO writes them (RFC 3339, UTC, milliseconds).
export function cacaoNow(): string {
  return new Date().toISOString();
}

// A new, empty playbook: a start step linked to an end step.
export function newPlaybook(): CacaoPlaybook {
  const now = cacaoNow();
  const start = newStepId('start');
  const end = newStepId('end');
  return {
    type: 'playbook',
    spec_version: 'cacao-2.0',
    id: `playbook--${uuid4()}`,
    name: 'New playbook',
    created_by: `identity--${uuid4()}`,
    created: now,
    modified: now,
    workflow_start: start,
    workflow: {
      [start]: { type: 'start', name: 'Start', on_completion: end },
      [end]: { type: 'end', name: 'End' },
    },
  };
}
