// The audit log's filters: actor, action, object type and id, outcome and a
// time range; and the reading order.
import { useEffect, useState, type FormEvent } from 'react';
import { isoToLocalInput, localInputToIso } from '../../components/timeInput';
import { AUDIT_ACTIONS, OBJECT_TYPES } from './types';

export const AUDIT_FILTER_KEYS = ['actor', 'action', 'object_type', 'object_id', 'outcome', 'since', 'until', 'order'] as const;
export type AuditFilterValues = Record<(typeof AUDIT_FILTER_KEYS)[number], string>;
const TYPED = ['actor', 'action', 'object_type', 'object_id'] as const;

export function AuditFilters(props: {
  values: AuditFilterValues;
  onChange: (v: Partial<AuditFilterValues>) => void;
  onClear: () => void;
}) {
  const { values, onChange } = props;
  // Typed fields apply on Enter or "Apply", not on every key.
  const [typed, setTyped] = useState(() => Object.fromEntries(TYPED.map((k) => [k, values[k]])) as Record<(typeof TYPED)[number], string>);
  useEffect(() => setTyped(Object.fromEntries(TYPED.map((k) => [k, values[k]])) as Record<(typeof TYPED)[number], string>), [values]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const next: Partial<AuditFilterValues> = {};
    for (const k of TYPED) next[k] = typed[k].trim();
    onChange(next);
  };
  const text = (k: (typeof TYPED)[number], label: string, list?: string, size = 14) => (
    <label>
      {label}
      <input name={k} value={typed[k]} onChange={(e) => setTyped({ ...typed, [k]: e.target.value })} list={list} size={size} />
    </label>
  );
  const pick = (v: Partial<AuditFilterValues>) => onChange(v);
  return (
    <form className="toolbar" onSubmit={submit} aria-label="Filter the audit log">
      {text('actor', 'Actor id (“only” in a row picks one)', undefined, 18)}
      {text('action', 'Action', 'audit-actions', 18)}
      <datalist id="audit-actions">
        {AUDIT_ACTIONS.map((a) => (
          <option key={a} value={a} />
        ))}
      </datalist>
      {text('object_type', 'Object type', 'audit-object-types', 12)}
      <datalist id="audit-object-types">
        {OBJECT_TYPES.map((a) => (
          <option key={a} value={a} />
        ))}
      </datalist>
      {text('object_id', 'Object id', undefined, 18)}
      <label>
        Outcome
        <select name="outcome" value={values.outcome} onChange={(e) => pick({ outcome: e.target.value })}>
          <option value="">any</option>
          <option value="success">success</option>
          <option value="failure">failure</option>
          <option value="denied">denied</option>
        </select>
      </label>
      <label>
        From
        <input type="datetime-local" value={isoToLocalInput(values.since)} onChange={(e) => pick({ since: localInputToIso(e.target.value) })} />
      </label>
      <label>
        until
        <input type="datetime-local" value={isoToLocalInput(values.until)} onChange={(e) => pick({ until: localInputToIso(e.target.value) })} />
      </label>
      <label>
        Order
        <select name="order" value={values.order} onChange={(e) => onChange({ order: e.target.value })}>
          <option value="">oldest first</option>
          <option value="newest">newest first</option>
        </select>
      </label>
      <button type="submit">Apply</button>
      <button type="button" onClick={props.onClear}>
        Clear filters
      </button>
    </form>
  );
}
