// The policies edited in a form: one fieldset per policy with its match
// criteria. Saves the whole list (PUT /policies); atio's errors
// (/policies/<n>/<member>) appear under the field of the policy they concern.
import { useState } from 'react';
import { api } from '../../../api/client';
import { errorsAt, Field, FieldMessages, FormErrors } from '../../../components/FieldErrors';

export interface Policy {
  name: string;
  description?: string;
  match?: Record<string, unknown>;
  response: string[];
  priority?: string;
}

interface Draft {
  name: string;
  description: string;
  priority: string;
  response: string;
  kinds: string[];
  min_severity: string;
  min_importance: string;
  asset_tags: string;
  techniques: string;
  signature_contains: string;
  object_types: string;
}

const listCriteria = [
  { key: 'asset_tags', label: 'Asset tags', hint: 'The asset has any of these tags.' },
  { key: 'techniques', label: 'ATT&CK techniques', hint: 'e.g. T1059 (matches its sub-techniques).' },
  { key: 'signature_contains', label: 'Name or signature contains', hint: 'Any of these, without regard to case.' },
  { key: 'object_types', label: 'STIX types', hint: 'attack-pattern (alerts), vulnerability.' },
] as const;

const joined = (v: unknown) => (Array.isArray(v) ? v.join(', ') : '');
const list = (s: string) => s.split(',').map((x) => x.trim()).filter(Boolean);
const num = (s: string): number | string => (Number.isFinite(Number(s)) ? Number(s) : s);

function toDraft(p: Policy): Draft {
  const m = p.match ?? {};
  return {
    name: p.name,
    description: p.description ?? '',
    priority: p.priority ?? 'medium',
    response: p.response.join(', '),
    kinds: Array.isArray(m.kinds) ? (m.kinds as string[]) : [],
    min_severity: m.min_severity === undefined ? '' : String(m.min_severity),
    min_importance: m.min_importance === undefined ? '' : String(m.min_importance),
    asset_tags: joined(m.asset_tags),
    techniques: joined(m.techniques),
    signature_contains: joined(m.signature_contains),
    object_types: joined(m.object_types),
  };
}

function toPolicy(d: Draft): Policy {
  const match: Record<string, unknown> = {};
  if (d.kinds.length) match.kinds = d.kinds;
  if (d.min_severity.trim()) match.min_severity = num(d.min_severity.trim());
  if (d.min_importance.trim()) match.min_importance = num(d.min_importance.trim());
  for (const c of listCriteria) if (list(d[c.key]).length) match[c.key] = list(d[c.key]);
  const p: Policy = { name: d.name.trim(), response: list(d.response), priority: d.priority };
  if (d.description.trim()) p.description = d.description.trim();
  if (Object.keys(match).length) p.match = match;
  return p;
}

const blank: Draft = toDraft({ name: '', response: [] });

export function PoliciesForm({ policies, onSaved }: { policies: Policy[]; onSaved: () => void }) {
  const [drafts, setDrafts] = useState<Draft[]>(() => policies.map(toDraft));
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const set = (i: number, patch: Partial<Draft>) => {
    setDrafts(drafts.map((d, j) => (j === i ? { ...d, ...patch } : d)));
  };

  async function save() {
    setBusy(true);
    setError(null);
    try {
      await api.put('/policies', { policies: drafts.map(toPolicy) });
      onSaved();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="policies-form" onSubmit={(e) => { e.preventDefault(); void save(); }} noValidate data-testid="policies-form">
      <FormErrors error={error} shown={drafts.map((_, i) => `/policies/${i}`)} />
      {drafts.length === 0 && <p className="muted">No policies. Add one below, or save the empty list.</p>}
      {drafts.map((d, i) => {
        const at = (m: string) => `/policies/${i}/${m}`;
        const text = (key: keyof Draft, label: string, pointer: string, hint?: string) => (
          <Field label={label} pointer={pointer} error={error} hint={hint}>
            {(a) => <input {...a} name={`p${i}-${key}`} value={d[key] as string} onChange={(e) => set(i, { [key]: e.target.value })} />}
          </Field>
        );
        return (
          <fieldset key={i} className="policy" data-testid="policy-fieldset">
            <legend>Policy {i + 1}{d.name ? `: ${d.name}` : ''}</legend>
            <div className="form-row">
              {text('name', 'Name', at('name'), 'Required.')}
              <Field label="Priority" pointer={at('priority')} error={error}>
                {(a) => (
                  <select {...a} value={d.priority} onChange={(e) => set(i, { priority: e.target.value })}>
                    {['low', 'medium', 'high', 'critical'].map((p) => (
                      <option key={p}>{p}</option>
                    ))}
                  </select>
                )}
              </Field>
              {text('response', 'Response', at('response'), 'Required: the actions, separated by commas.')}
            </div>
            <div className="form-row">{text('description', 'Description', at('description'), 'For people.')}</div>
            <h4>Matches detections where (every criterion given must hold; none: every detection)</h4>
            <div className="form-row">
              <div className="field" role="group" aria-labelledby={`p${i}-kinds`}>
                <span className="label" id={`p${i}-kinds`}>
                  Kind
                </span>
                <span className="checks">
                  {['alert', 'vulnerability'].map((k) => (
                    <label className="inline" key={k}>
                      <input
                        type="checkbox"
                        checked={d.kinds.includes(k)}
                        onChange={(e) => set(i, { kinds: e.target.checked ? [...d.kinds, k] : d.kinds.filter((x) => x !== k) })}
                      />
                      {k}
                    </label>
                  ))}
                </span>
                <FieldMessages messages={errorsAt(error, at('match/kinds'))} />
              </div>
              {text('min_severity', 'Severity at least', at('match/min_severity'), '0..10')}
              {text('min_importance', 'Importance at least', at('match/min_importance'), '0..100')}
            </div>
            <div className="form-row">{listCriteria.map((c) => <span key={c.key} className="grow">{text(c.key, c.label, at(`match/${c.key}`), `${c.hint} Separate with commas.`)}</span>)}</div>
            <div className="form-actions">
              <button type="button" className="danger" onClick={() => setDrafts(drafts.filter((_, j) => j !== i))}>
                Remove policy {i + 1}
              </button>
            </div>
          </fieldset>
        );
      })}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Saving…' : 'Save policies'}
        </button>
        <button type="button" onClick={() => setDrafts([...drafts, blank])}>
          Add a policy
        </button>
        <button type="button" onClick={() => { setDrafts(policies.map(toDraft)); setError(null); }}>
          Undo changes
        </button>
      </div>
    </form>
  );
}
