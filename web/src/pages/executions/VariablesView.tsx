// An execution's variables: as they stand now (the starting variables plus
// what finished steps set) and what it was started with, each collapsible.
import { JsonView } from '../../components/JsonView';
import type { ExecutionDetail } from './types';
import { currentVariables } from './variables';

function Block({ title, value, open, testId }: { title: string; value: Record<string, unknown>; open: boolean; testId: string }) {
  return (
    <details className="json-section" open={open} data-testid={testId}>
      <summary>{title}</summary>
      {Object.keys(value).length === 0 ? (
        <p className="muted small">None.</p>
      ) : (
        <JsonView value={value} openDepth={2} label={title} />
      )}
    </details>
  );
}

export function VariablesView({ exec, startOpen = false }: { exec: ExecutionDetail; startOpen?: boolean }) {
  return (
    <div className="variables-view">
      <Block title="Variables now" value={currentVariables(exec)} open testId="variables-now" />
      <Block title="Started with (the triggering event is __event__)" value={exec.variables ?? {}} open={startOpen} testId="variables-start" />
    </div>
  );
}
