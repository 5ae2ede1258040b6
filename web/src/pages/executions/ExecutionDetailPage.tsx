// One execution (/executions/:id): its facts, the playbook's graph with each
// step's live status beside a table of the steps and their timings, the
// selected step's inputs, outputs and variables, and the execution's
// variables. Kept up to date by server-sent events (useLiveExecution).
import { useMemo, useState } from 'react';
import { Link, useLocation, useParams } from 'react-router-dom';
import { DataState, ErrorBanner } from '../../components/DataState';
import { shortExecutionId } from './executionId';
import { PlaybookGraph } from '../../graph/PlaybookGraph';
import { ExecutionActions } from './ExecutionActions';
import { ExecutionFacts } from './ExecutionFacts';
import { LiveIndicator } from './LiveIndicator';
import { StatusBadge } from './StatusBadge';
import { StepPanel } from './StepPanel';
import { StepTable } from './StepTable';
import { stepRows, type StepRow } from './stepRows';
import { graphStatuses, representativeRecords } from './stepStatus';
import type { ExecutionDetail } from './types';
import { useLiveExecution } from './useLiveExecution';
import { usePlaybookDocument, type PlaybookDocument } from './usePlaybookDocument';
import { VariablesView } from './VariablesView';

export function ExecutionDetailPage() {
  const { id = '' } = useParams();
  const location = useLocation();
  const rerunOf = (location.state as { rerunOf?: string } | null)?.rerunOf;
  const { exec, error, live, reload, loading } = useLiveExecution(id);
  const pb = usePlaybookDocument(exec?.playbook_id, exec?.playbook_version);

  return (
    <section aria-labelledby="execution-title">
      <p className="crumbs">
        <Link to="/executions">← Executions</Link>
      </p>
      <div className="page-head">
        <h1 id="execution-title">
          Execution <span className="mono">{shortExecutionId(id)}</span> {exec && <StatusBadge status={exec.status} testId="title-status" />}
        </h1>
        {exec && <LiveIndicator state={live} onReload={reload} />}
      </div>
      {rerunOf && (
        <p className="notice">
          Started again from execution <Link to={`/executions/${rerunOf}`}>{shortExecutionId(rerunOf)}</Link> with its starting variables.
        </p>
      )}
      <DataState what="the execution" loading={loading} error={error} onRetry={reload}>
        {exec && (
          <>
            <div className="exec-top">
              <ExecutionFacts exec={exec} playbookName={pb.playbook?.doc.name} />
              <ExecutionActions exec={exec} onAborted={() => live !== 'live' && reload()} />
            </div>
            <ExecutionBody key={exec.id} exec={exec} pb={pb.playbook} pbError={pb.error} pbLoading={pb.loading} onChanged={() => live !== 'live' && reload()} />
          </>
        )}
      </DataState>
    </section>
  );
}

function ExecutionBody(props: {
  exec: ExecutionDetail;
  pb: PlaybookDocument | undefined;
  pbError: unknown;
  pbLoading: boolean;
  onChanged: () => void;
}) {
  const { exec, pb, pbError, pbLoading, onChanged } = props;
  const [selectedKey, setSelectedKey] = useState<string | null>(null);
  const doc = pb?.doc;
  const rows = useMemo(() => stepRows(exec, doc), [exec, doc]);
  const statuses = useMemo(() => graphStatuses(exec, Object.keys(doc?.workflow ?? {})), [exec, doc]);
  const selected: StepRow | null = rows.find((r) => r.key === selectedKey) ?? null;
  const waiting = selected ? (exec.manual_steps ?? []).find((m) => m.step_key === selected.key) : undefined;

  const selectStep = (stepId: string | null) => {
    if (stepId === null) return setSelectedKey(null);
    setSelectedKey(representativeRecords(exec).get(stepId)?.step_key ?? stepId);
  };

  return (
    <>
      {pb && !pb.exact && (
        <p className="notice warn" data-testid="version-notice">
          The playbook version this execution ran ({exec.playbook_version || 'unknown'}) is not stored any more; the graph
          shows the {pb.source === 'current' ? 'current document' : `stored ${pb.source}`}, which may differ.
        </p>
      )}
      <div className="exec-grid">
        <div>
          <h2>Graph</h2>
          {pbError ? (
            <ErrorBanner error={pbError} />
          ) : pbLoading || !doc ? (
            <p className="state">Loading the playbook…</p>
          ) : (
            <PlaybookGraph
              playbook={doc}
              statuses={statuses}
              selected={selected?.stepId ?? null}
              onSelect={selectStep}
              height={560}
            />
          )}
        </div>
        <div>
          <h2>Steps</h2>
          <StepTable rows={rows} selectedKey={selectedKey} onSelect={(r) => setSelectedKey(r.key)} />
        </div>
      </div>
      <div className="exec-grid">
        <div>
          <h2>Selected step</h2>
          <StepPanel
            executionId={exec.id}
            row={selected}
            definition={selected ? doc?.workflow[selected.stepId] : undefined}
            waiting={waiting}
            onAnswered={onChanged}
          />
        </div>
        <div>
          <h2>Execution variables</h2>
          <VariablesView exec={exec} />
        </div>
      </div>
    </>
  );
}
