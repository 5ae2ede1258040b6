// A CACAO 2.0 workflow as a graph: one node per step, one edge per link a
// step makes to another (on_completion, on_success, on_failure, parallel
// next_steps, if/while on_true/on_false, switch cases). Positions come from
// layout.ts.

export type StepType =
  | 'start'
  | 'end'
  | 'action'
  | 'playbook-action'
  | 'parallel'
  | 'if-condition'
  | 'while-condition'
  | 'switch-condition';

export const stepTypes: StepType[] = [
  'start',
  'end',
  'action',
  'playbook-action',
  'parallel',
  'if-condition',
  'while-condition',
  'switch-condition',
];

export interface CacaoStep {
  type: string;
  name?: string;
  description?: string;
  on_completion?: string;
  on_success?: string;
  on_failure?: string;
  next_steps?: string[];
  on_true?: string;
  on_false?: string;
  cases?: Record<string, string>;
  commands?: Record<string, unknown>[];
  [key: string]: unknown;
}

export interface CacaoPlaybook {
  id: string;
  name: string;
  workflow_start: string;
  workflow: Record<string, CacaoStep>;
  [key: string]: unknown;
}

// How an edge leaves its step: the property that holds it.
export type EdgeKind = 'on_completion' | 'on_success' | 'on_failure' | 'next_steps' | 'on_true' | 'on_false' | 'case';

export interface GraphEdge {
  id: string;
  source: string;
  target: string;
  kind: EdgeKind;
  label: string; // "", "success", "failure", "true", "false", or the case value
}

export function stepEdges(id: string, step: CacaoStep): GraphEdge[] {
  const out: GraphEdge[] = [];
  const add = (target: unknown, kind: EdgeKind, label: string) => {
    if (typeof target === 'string' && target) out.push({ id: `${id}|${kind}|${label}|${target}`, source: id, target, kind, label });
  };
  add(step.on_completion, 'on_completion', '');
  add(step.on_success, 'on_success', 'success');
  add(step.on_failure, 'on_failure', 'failure');
  if (Array.isArray(step.next_steps)) step.next_steps.forEach((t) => add(t, 'next_steps', ''));
  add(step.on_true, 'on_true', 'true');
  add(step.on_false, 'on_false', 'false');
  if (step.cases && typeof step.cases === 'object') {
    for (const [value, target] of Object.entries(step.cases)) add(target, 'case', value);
  }
  return out;
}

export function workflowEdges(workflow: Record<string, CacaoStep>): GraphEdge[] {
  return Object.entries(workflow).flatMap(([id, step]) => stepEdges(id, step));
}

// The name shown on a step's node: its name, else its type.
export function stepLabel(step: CacaoStep): string {
  return step.name?.trim() || step.type;
}
