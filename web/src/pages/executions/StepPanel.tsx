// The selected step: its status and timings, then its inputs, outputs,
// variables, branch and error in collapsible JSON viewers, and the step as the
// playbook defines it. A manual step waiting for a person can be answered here.
import { useAuth } from '../../api/auth';
import { JsonView } from '../../components/JsonView';
import { formatDuration, formatTime } from '../../components/format';
import type { CacaoStep } from '../../graph/cacao';
import { AnswerForm } from './AnswerForm';
import { StatusBadge } from './StatusBadge';
import type { StepRow } from './stepRows';
import type { ManualStep } from './types';

function Section({ title, value, open = true }: { title: string; value: unknown; open?: boolean }) {
  const empty =
    value === null || value === undefined || (typeof value === 'object' && Object.keys(value as object).length === 0);
  return (
    <details className="json-section" open={open} data-testid={`step-${title.toLowerCase().replace(/\W+/g, '-')}`}>
      <summary>{title}</summary>
      {empty ? <p className="muted small">None.</p> : <JsonView value={value} openDepth={2} label={title} />}
    </details>
  );
}

export function StepPanel(props: {
  row: StepRow | null;
  definition: CacaoStep | undefined;
  waiting: ManualStep | undefined;
  onAnswered: () => void;
}) {
  const { row, definition, waiting, onAnswered } = props;
  const { can } = useAuth();
  if (!row) {
    return (
      <div className="panel step-panel muted" data-testid="step-panel">
        Select a step on the graph or in the table to see its inputs, outputs and variables.
      </div>
    );
  }
  const rec = row.record;
  return (
    <div className="panel step-panel" data-testid="step-panel" data-step-id={row.stepId} data-step-key={row.key}>
      <h2>
        {row.name} <StatusBadge status={row.status} testId="selected-step-status" />
      </h2>
      <p className="muted small mono">{row.key}</p>
      {rec ? (
        <dl className="facts">
          <dt>Type</dt>
          <dd>{rec.type}</dd>
          <dt>Started</dt>
          <dd>{formatTime(rec.started_at)}</dd>
          <dt>Finished</dt>
          <dd>{formatTime(rec.finished_at)}</dd>
          <dt>Duration</dt>
          <dd>{formatDuration(rec.duration_ms)}</dd>
          <dt>Branch</dt>
          <dd>{rec.branch || <span className="muted">none</span>}</dd>
        </dl>
      ) : (
        <p className="muted">
          {row.status === 'skipped'
            ? 'The execution ended without reaching this step.'
            : 'This step has not started yet.'}
        </p>
      )}
      {rec?.error && (
        <div className="error-banner" data-testid="step-error">
          <strong>Error:</strong> {rec.error}
        </div>
      )}
      {waiting && (
        <div className="waiting-box" data-testid="step-waiting">
          <h3>Waiting for a person</h3>
          <p className="manual-command">{waiting.command || waiting.description || 'No question was given.'}</p>
          {can('manual.answer') ? (
            <AnswerForm step={waiting} onAnswered={onAnswered} />
          ) : (
            <p className="muted">Your role cannot answer manual steps; ask someone who can.</p>
          )}
        </div>
      )}
      {rec && (
        <>
          <Section title="Inputs" value={rec.inputs} />
          <Section title="Outputs" value={rec.outputs} />
          <Section title="Variables" value={rec.variables} />
        </>
      )}
      {definition && <Section title="Definition in the playbook" value={definition} open={false} />}
    </div>
  );
}
