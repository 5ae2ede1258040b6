// The selected step: its status and timings, then its inputs, outputs,
// variables, branch and error in collapsible JSON viewers, and the step as the
// playbook defines it. A manual step waiting for a person can be answered here.
// Outputs kept outside the journal (large outputs) show as their preview,
// paged on request, with a download.
import { useAuth } from '../../api/auth';
import { JsonView } from '../../components/JsonView';
import { formatDuration, formatTime } from '../../components/format';
import type { CacaoStep } from '../../graph/cacao';
import { AnswerForm } from './AnswerForm';
import { largeOutputRef, LargeOutputView, type LargeOutputRef } from './LargeOutputView';
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

// The step's outputs: large ones each in a LargeOutputView (top-level ones,
// and those of each command of a step with several), the rest as JSON, a
// large output named there by a short note.
function OutputsSection({ executionId, outputs }: { executionId: string; outputs: unknown }) {
  const large: { name: string; ref: LargeOutputRef }[] = [];
  const note = (ref: LargeOutputRef) => `[large output: ${ref.bytes} bytes, ${ref.media_type}, shown below]`;
  const replace = (value: unknown, path: string): unknown => {
    const ref = largeOutputRef(value);
    if (ref) {
      if (!large.some((l) => l.ref.id === ref.id)) large.push({ name: path, ref });
      return note(ref);
    }
    return value;
  };
  let rest: unknown = outputs;
  if (outputs && typeof outputs === 'object' && !Array.isArray(outputs)) {
    const o: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(outputs as Record<string, unknown>)) {
      if (k === 'commands' && Array.isArray(v)) {
        o[k] = v.map((c, i) =>
          c && typeof c === 'object' && !Array.isArray(c)
            ? Object.fromEntries(Object.entries(c).map(([ck, cv]) => [ck, replace(cv, `commands/${i}/${ck}`)]))
            : c,
        );
      } else {
        o[k] = replace(v, k);
      }
    }
    rest = o;
  }
  if (large.length === 0) return <Section title="Outputs" value={outputs} />;
  return (
    <details className="json-section" open data-testid="step-outputs">
      <summary>Outputs</summary>
      <JsonView value={rest} openDepth={2} label="Outputs" />
      {large.map(({ name, ref }) => (
        <LargeOutputView key={ref.id} executionId={executionId} name={name} output={ref} />
      ))}
    </details>
  );
}

export function StepPanel(props: {
  executionId: string;
  row: StepRow | null;
  definition: CacaoStep | undefined;
  waiting: ManualStep | undefined;
  onAnswered: () => void;
}) {
  const { executionId, row, definition, waiting, onAnswered } = props;
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
          <OutputsSection key={rec.step_key} executionId={executionId} outputs={rec.outputs} />
          <Section title="Variables" value={rec.variables} />
        </>
      )}
      {definition && <Section title="Definition in the playbook" value={definition} open={false} />}
    </div>
  );
}
