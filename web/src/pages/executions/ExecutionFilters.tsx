// The filters of the executions list: playbook, status, and a time window on
// when executions were created (sent as `since` and `until`). Errors atio
// reports about a query parameter (/query/<name>) show under its field.
import type { FieldError } from '../../api/client';
import type { PlaybookSummary } from '../../api/types';
import { executionStatuses } from './types';
import { fromLocalInput, toLocalInput } from './timeInput';

export interface Filters {
  playbook_id: string;
  status: string;
  since: string;
  until: string;
}

function FieldMessage({ errors, name }: { errors: FieldError[]; name: string }) {
  const mine = errors.filter((e) => e.pointer === `/query/${name}`);
  if (!mine.length) return null;
  return (
    <span className="field-error" role="alert" data-testid={`filter-error-${name}`}>
      {mine.map((e) => e.message).join('; ')}
    </span>
  );
}

export function ExecutionFilters(props: {
  value: Filters;
  onChange: (f: Filters) => void;
  playbooks: PlaybookSummary[];
  errors: FieldError[];
}) {
  const { value, onChange, playbooks, errors } = props;
  const set = (patch: Partial<Filters>) => onChange({ ...value, ...patch });
  const any = value.playbook_id || value.status || value.since || value.until;
  return (
    <form className="toolbar" aria-label="Filter executions" onSubmit={(e) => e.preventDefault()}>
      <label>
        Playbook
        <select
          data-testid="filter-playbook"
          value={value.playbook_id}
          onChange={(e) => set({ playbook_id: e.target.value })}
        >
          <option value="">All playbooks</option>
          {playbooks.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
          {value.playbook_id && !playbooks.some((p) => p.id === value.playbook_id) && (
            <option value={value.playbook_id}>{value.playbook_id}</option>
          )}
        </select>
        <FieldMessage errors={errors} name="playbook_id" />
      </label>
      <label>
        Status
        <select data-testid="filter-status" value={value.status} onChange={(e) => set({ status: e.target.value })}>
          <option value="">Any status</option>
          {executionStatuses.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
        <FieldMessage errors={errors} name="status" />
      </label>
      <label>
        Created from (local time)
        <input
          type="datetime-local"
          data-testid="filter-since"
          value={toLocalInput(value.since)}
          onChange={(e) => set({ since: fromLocalInput(e.target.value) })}
        />
        <FieldMessage errors={errors} name="since" />
      </label>
      <label>
        Created until (local time)
        <input
          type="datetime-local"
          data-testid="filter-until"
          value={toLocalInput(value.until)}
          onChange={(e) => set({ until: fromLocalInput(e.target.value) })}
        />
        <FieldMessage errors={errors} name="until" />
      </label>
      <button type="button" disabled={!any} onClick={() => onChange({ playbook_id: '', status: '', since: '', until: '' })}>
        Clear filters
      </button>
    </form>
  );
}
