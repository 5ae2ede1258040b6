// The node of one step: each CACAO step type has its own shape (circle for
// start/end, rectangle for actions, double-edged for playbook-action, bar for
// parallel, diamond for if/while/switch), coloured by its live status when
// an execution is shown, marked when validation found a problem in it.
import { Handle, Position, type NodeProps, type Node } from '@xyflow/react';
import { sizeOf } from './layout';

export interface StepNodeData extends Record<string, unknown> {
  label: string;
  stepType: string;
  status?: string; // pending, running, waiting, succeeded, failed, skipped, aborted
  problems?: string[]; // validation messages about this step
  detail?: string; // e.g. the duration
}

export type StepFlowNode = Node<StepNodeData, 'step'>;

const icons: Record<string, string> = {
  start: '▶',
  end: '■',
  action: '⚙',
  'playbook-action': '▣', // a playbook inside a playbook (U+25A3: in DejaVu Sans, unlike ⧉)
  parallel: '⇉',
  'if-condition': '?',
  'while-condition': '↻',
  'switch-condition': '⋔',
};

export function StepNode({ id, data, selected }: NodeProps<StepFlowNode>) {
  const size = sizeOf(data.stepType);
  const classes = ['step-node', `shape-${data.stepType}`];
  if (data.status) classes.push(`status-${data.status}`);
  if (data.problems?.length) classes.push('has-problems');
  if (selected) classes.push('selected');
  const title = [data.stepType, data.status, ...(data.problems ?? [])].filter(Boolean).join('\n');
  return (
    <div
      className={classes.join(' ')}
      style={{ width: size.width, height: size.height }}
      title={title}
      data-testid="step-node"
      data-step-id={id}
      data-step-type={data.stepType}
      data-problems={data.problems?.length ?? 0}
      data-status={data.status ?? ''}
    >
      <Handle type="target" position={Position.Top} />
      <div className="step-body">
        <span className="step-icon" aria-hidden>
          {icons[data.stepType] ?? '•'}
        </span>
        {data.stepType !== 'start' && data.stepType !== 'end' && <span className="step-label">{data.label}</span>}
        {data.status && <span className="step-status">{data.status}</span>}
        {data.detail && <span className="step-detail">{data.detail}</span>}
        {!!data.problems?.length && (
          <span className="step-problems" role="note" data-testid="step-problems" aria-label={`${data.problems.length} problem(s)`}>
            ⚠ {data.problems.length}
          </span>
        )}
      </div>
      <Handle type="source" position={Position.Bottom} />
    </div>
  );
}

export const nodeTypes = { step: StepNode };
