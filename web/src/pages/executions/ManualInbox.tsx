// The manual steps inbox (/manual): every step waiting for a person
// (GET /manual-steps, oldest first), each with its context and answer form.
// An answered step leaves the list and a confirmation says what was sent.
// atio answers the whole list; it is shown 10 steps a page.
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { useApi } from '../../api/hooks';
import { ClientPager, useClientPages } from '../../components/ClientPager';
import { DataState } from '../../components/DataState';
import { shortExecutionId } from './executionId';
import type { Answered } from './AnswerForm';
import { ManualStepCard } from './ManualStepCard';
import type { ManualStep } from './types';
import { usePlaybooks } from './usePlaybooks';

interface Confirmation {
  name: string;
  answered: Answered;
}

const keyOf = (s: { execution_id: string; step_key: string }) => `${s.execution_id} ${s.step_key}`;

export function ManualInbox() {
  const list = useApi<{ manual_steps: ManualStep[] }>('/manual-steps');
  const pb = usePlaybooks();
  const [answered, setAnswered] = useState<Set<string>>(new Set());
  const [confirmations, setConfirmations] = useState<Confirmation[]>([]);
  const steps = (list.data?.manual_steps ?? []).filter((s) => !answered.has(keyOf(s)));
  const paged = useClientPages(steps, 10);

  const onAnswered = (step: ManualStep, a: Answered) => {
    setAnswered((prev) => new Set(prev).add(keyOf(step)));
    setConfirmations((prev) => [{ name: step.step_name || step.step_id, answered: a }, ...prev].slice(0, 5));
  };

  return (
    <section aria-labelledby="manual-title">
      <div className="page-head">
        <h1 id="manual-title">Manual steps</h1>
        <button type="button" onClick={list.reload}>
          Refresh
        </button>
      </div>
      <p className="muted">Steps of running playbooks that wait for a person to decide, oldest first.</p>
      {confirmations.map((c) => (
        <p className="notice" role="status" key={keyOf(c.answered)} data-testid="answer-confirmation">
          Answered “{c.name}” as {c.answered.success ? 'succeeded' : 'failed'}; execution{' '}
          <Link to={`/executions/${c.answered.execution_id}`}>{shortExecutionId(c.answered.execution_id)}</Link> goes on.
        </p>
      ))}
      <DataState
        what="manual steps"
        loading={list.loading && !list.data}
        error={list.error}
        onRetry={list.reload}
        isEmpty={steps.length === 0}
        empty={<span data-testid="manual-empty">Nothing waits for a person. Steps that need a decision appear here.</span>}
      >
        <p className="muted" data-testid="manual-count">
          {steps.length === 1 ? '1 step waits.' : `${steps.length} steps wait.`}
        </p>
        <div className="manual-list">
          {paged.items.map((s) => (
            <ManualStepCard key={keyOf(s)} step={s} names={pb.names} onAnswered={(a) => onAnswered(s, a)} />
          ))}
        </div>
        <ClientPager {...paged} />
      </DataState>
    </section>
  );
}
