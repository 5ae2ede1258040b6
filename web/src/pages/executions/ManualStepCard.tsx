// One manual step waiting for a person, with what it takes to decide: the
// playbook, the execution, the question or command, the step's inputs and the
// execution's variables; and the form to answer it.
import { Link } from 'react-router-dom';
import { useAuth } from '../../api/auth';
import { useApi } from '../../api/hooks';
import { ErrorBanner } from '../../components/DataState';
import { JsonView } from '../../components/JsonView';
import { formatTime } from '../../components/format';
import { shortExecutionId } from './executionId';
import { AnswerForm, type Answered } from './AnswerForm';
import { PlaybookName } from './PlaybookName';
import { VariablesView } from './VariablesView';
import type { ExecutionDetail, ManualStep } from './types';
import { executionPath } from './useLiveExecution';

export function ManualStepCard(props: { step: ManualStep; names: Map<string, string>; onAnswered: (a: Answered) => void }) {
  const { step, names, onAnswered } = props;
  const { can } = useAuth();
  const exec = useApi<ExecutionDetail>(executionPath(step.execution_id));
  const title = step.step_name || step.step_id;
    return (
    <article
      className="panel manual-card"
      data-testid="manual-step"
      data-execution-id={step.execution_id}
      data-step-key={step.step_key}
      data-step-id={step.step_id}
      aria-labelledby={`manual-${step.execution_id}-${step.step_id}`}
    >
      <header className="manual-head">
        <h2 id={`manual-${step.execution_id}-${step.step_id}`}>{title}</h2>
        <span className="muted">waiting since {formatTime(step.created_at)}</span>
      </header>
      <dl className="facts">
        <dt>Playbook</dt>
        <dd>
          <PlaybookName id={step.playbook_id} names={names} />
        </dd>
        <dt>Execution</dt>
        <dd>
          <Link to={`/executions/${step.execution_id}`} data-testid="manual-execution-link">
            {shortExecutionId(step.execution_id)}
          </Link>
        </dd>
      </dl>
      <div className="manual-command" data-testid="manual-command">
        {step.command || <span className="muted">The step asks no question; its description says what to do.</span>}
      </div>
      {step.description && <p>{step.description}</p>}
      <div className="manual-context">
        <div>
          <h3>Step inputs</h3>
          {Object.keys(step.in_args ?? {}).length ? (
            <JsonView value={step.in_args} openDepth={2} label="Step inputs" />
          ) : (
            <p className="muted small">The step takes no inputs.</p>
          )}
        </div>
        <div>
          <h3>Execution variables</h3>
          {exec.error ? (
            <ErrorBanner error={exec.error} onRetry={exec.reload} />
          ) : !exec.data ? (
            <p className="muted small">Loading…</p>
          ) : (
            <VariablesView exec={exec.data} />
          )}
        </div>
      </div>
      {can('manual.answer') ? (
        <AnswerForm step={step} onAnswered={onAnswered} />
      ) : (
        <p className="muted">Your role cannot answer manual steps; ask someone who can.</p>
      )}
    </article>
  );
}
