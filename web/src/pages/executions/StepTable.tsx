// The steps of an execution with their timings; a click (or Enter on the
// step's name) selects the step. Rows carry data-step-id, data-step-key and
// data-status for tests.
import { formatDuration } from '../../components/format';
import { StatusBadge } from './StatusBadge';
import type { StepRow } from './stepRows';

function clock(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleTimeString(undefined, { hour12: false }) + '.' + String(d.getMilliseconds()).padStart(3, '0');
}

export function StepTable(props: { rows: StepRow[]; selectedKey: string | null; onSelect: (row: StepRow) => void }) {
  const { rows, selectedKey, onSelect } = props;
  return (
    <div className="table-wrap step-table">
      <table className="list" data-testid="step-table">
        <caption className="sr-only">Steps of this execution</caption>
        <thead>
          <tr>
            <th scope="col">Step</th>
            <th scope="col">Status</th>
            <th scope="col">Started</th>
            <th scope="col">Finished</th>
            <th scope="col">Duration</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr
              key={row.key}
              className={`clickable${row.key === selectedKey ? ' selected' : ''}`}
              data-testid="step-row"
              data-step-id={row.stepId}
              data-step-key={row.key}
              data-status={row.status}
              aria-selected={row.key === selectedKey}
              onClick={() => onSelect(row)}
            >
              <td>
                <button type="button" className="link step-name" onClick={() => onSelect(row)} title={row.key}>
                  {row.name}
                </button>
                <div className="muted small">{row.type}</div>
              </td>
              <td>
                <StatusBadge status={row.status} testId="step-status" />
              </td>
              <td className="nowrap" title={row.record?.started_at ?? ''}>
                {clock(row.record?.started_at)}
              </td>
              <td className="nowrap" title={row.record?.finished_at ?? ''}>
                {clock(row.record?.finished_at)}
              </td>
              <td className="nowrap">{formatDuration(row.record?.duration_ms)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
