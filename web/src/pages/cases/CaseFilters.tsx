// The filters of the case list: status, severity, assignee, playbook and the
// detection time range (atio filters since/until on detected_at).
import { useEffect, useState, type FormEvent } from 'react';
import { isoToLocalInput, localInputToIso } from '../../components/timeInput';
import type { PlaybookSummary } from '../../api/types';
import { SEVERITIES, STATUSES } from './types';
import { statusLabel } from './statusMachine';

export const CASE_FILTER_KEYS = ['status', 'severity', 'assignee', 'playbook_id', 'since', 'until'] as const;
export type CaseFilterValues = Record<(typeof CASE_FILTER_KEYS)[number], string>;

export function CaseFilters(props: {
  values: CaseFilterValues;
  playbooks: PlaybookSummary[];
  onChange: (v: Partial<CaseFilterValues>) => void;
  onClear: () => void;
}) {
  const { values, onChange } = props;
  // The assignee is typed: apply it on submit, not on every key.
  const [assignee, setAssignee] = useState(values.assignee);
  useEffect(() => setAssignee(values.assignee), [values.assignee]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onChange({ assignee: assignee.trim() });
  };
  return (
    <form className="toolbar" onSubmit={submit} aria-label="Filter cases">
      <label>
        Status
        <select value={values.status} onChange={(e) => onChange({ status: e.target.value })}>
          <option value="">any</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {statusLabel(s)}
            </option>
          ))}
        </select>
      </label>
      <label>
        Severity
        <select value={values.severity} onChange={(e) => onChange({ severity: e.target.value })}>
          <option value="">any</option>
          {SEVERITIES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </label>
      <label>
        Assignee
        <input
          value={assignee}
          onChange={(e) => setAssignee(e.target.value)}
          onBlur={() => assignee.trim() !== values.assignee && onChange({ assignee: assignee.trim() })}
          placeholder="user name"
          size={12}
        />
      </label>
      <label>
        Playbook
        <select value={values.playbook_id} onChange={(e) => onChange({ playbook_id: e.target.value })}>
          <option value="">any</option>
          {props.playbooks.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
          {values.playbook_id && !props.playbooks.some((p) => p.id === values.playbook_id) && (
            <option value={values.playbook_id}>{values.playbook_id}</option>
          )}
        </select>
      </label>
      <label>
        Detected from
        <input
          type="datetime-local"
          value={isoToLocalInput(values.since)}
          onChange={(e) => onChange({ since: localInputToIso(e.target.value) })}
        />
      </label>
      <label>
        until
        <input
          type="datetime-local"
          value={isoToLocalInput(values.until)}
          onChange={(e) => onChange({ until: localInputToIso(e.target.value) })}
        />
      </label>
      <button type="submit">Apply</button>
      <button type="button" onClick={props.onClear}>
        Clear filters
      </button>
    </form>
  );
}
