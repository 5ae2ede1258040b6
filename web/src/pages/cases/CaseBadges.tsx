// A case's severity and status as coloured badges.
import { statusLabel } from './statusMachine';

export function SeverityBadge({ severity }: { severity: string }) {
  return <span className={`badge sev-${severity}`}>{severity}</span>;
}

export function StatusBadge({ status }: { status: string }) {
  return (
    <span className={`badge ${status}`} data-testid="case-status" data-status={status}>
      {statusLabel(status)}
    </span>
  );
}
