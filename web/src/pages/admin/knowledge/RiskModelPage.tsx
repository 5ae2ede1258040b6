// The risk model (GET/PUT /risk-model) in a form. An empty field is left out
// of what is saved, so atio's default applies; the placeholder shows the value
// in effect. docs/enrich.md explains the formula.
import { useEffect, useState } from 'react';
import { useAuth } from '../../../api/auth';
import { api } from '../../../api/client';
import { useApi } from '../../../api/hooks';
import { DataState } from '../../../components/DataState';
import { Field, FormErrors } from '../../../components/FieldErrors';
import { ReadOnlyNote } from '../NeedsPermission';
import type { RiskConfig, RiskModel } from '../types';

type Values = Record<string, string>; // "confidence_floor", "criticality_weight/3", "alert_severity/default", ...

const scalars: { key: string; label: string; hint: string }[] = [
  { key: 'confidence_floor', label: 'Confidence floor', hint: '0..1: the share of importance a detection keeps at confidence 0.' },
  { key: 'unknown_asset_weight', label: 'Weight without an asset', hint: '0..1: for a target no asset matches.' },
  { key: 'risk_window_days', label: 'Risk window (days)', hint: '1..3650: detections seen this recently count in an asset’s risk.' },
];

function flatten(c: RiskConfig): Values {
  const v: Values = {};
  for (const [k, x] of Object.entries(c)) {
    if (x !== null && typeof x === 'object') for (const [kk, y] of Object.entries(x)) v[`${k}/${kk}`] = String(y);
    else if (x !== undefined) v[k] = String(x);
  }
  return v;
}

// A number when it reads as one; otherwise the text, for atio to name the problem.
const num = (s: string): number | string => (s.trim() !== '' && Number.isFinite(Number(s)) ? Number(s) : s);

function toBody(v: Values): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const [k, s] of Object.entries(v)) {
    if (s.trim() === '') continue;
    const [top, sub] = k.split('/');
    if (sub === undefined) body[top] = num(s);
    else body[top] = { ...((body[top] as object) ?? {}), [sub]: num(s) };
  }
  return body;
}

export function RiskModelPage() {
  const { can } = useAuth();
  const loaded = useApi<RiskModel>('/risk-model');
  const [values, setValues] = useState<Values>({});
  const [newKey, setNewKey] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  const effective = loaded.data ? flatten(loaded.data.effective) : {};
  const severityKeys = [
    ...new Set([...Object.keys(effective), ...Object.keys(values)].filter((k) => k.startsWith('alert_severity/')).map((k) => k.slice(15))),
  ];

  useEffect(() => {
    if (loaded.data) setValues(flatten(loaded.data.configured));
  }, [loaded.data]);

  const input = (key: string, label: string, hint?: string) => (
    <Field key={key} label={label} pointer={`/${key}`} error={error} hint={hint}>
      {(a) => (
        <input
          {...a}
          name={key}
          inputMode="decimal"
          value={values[key] ?? ''}
          placeholder={effective[key] ?? ''}
          readOnly={!can('knowledge.write')}
          onChange={(e) => { setValues({ ...values, [key]: e.target.value }); setSaved(false); }}
        />
      )}
    </Field>
  );

  async function save(body: Record<string, unknown>) {
    setBusy(true);
    setError(null);
    setSaved(false);
    try {
      await api.put('/risk-model', body);
      setSaved(true);
      loaded.reload();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="risk-title">
      <h2 id="risk-title">Risk model</h2>
      <p className="muted">
        importance = 100 × severity/10 × (floor + (1 − floor) × confidence/100) × asset weight; an asset’s risk combines the
        importances of its recent detections. Empty fields take atio’s default (shown greyed).
      </p>
      <ReadOnlyNote permission="knowledge.write" what="the risk model" />
      <DataState what="the risk model" loading={loaded.loading && !loaded.data} error={loaded.error} onRetry={loaded.reload}>
        <form className="panel" onSubmit={(e) => { e.preventDefault(); void save(toBody(values)); }} noValidate data-testid="risk-form">
          <FormErrors error={error} shown={['/confidence_floor', '/unknown_asset_weight', '/risk_window_days', '/criticality_weight', '/alert_severity']} />
          <div className="form-grid">{scalars.map((s) => input(s.key, s.label, s.hint))}</div>
          <fieldset>
            <legend>Weight by asset criticality (0..1)</legend>
            <div className="form-row">{[1, 2, 3, 4, 5].map((c) => input(`criticality_weight/${c}`, `Criticality ${c}`))}</div>
          </fieldset>
          <fieldset>
            <legend>Alert severity on the 0..10 scale, by the detector’s severity number</legend>
            <div className="form-row">
              {severityKeys.map((k) => input(`alert_severity/${k}`, k === 'default' ? 'Any other' : `Severity ${k}`))}
            </div>
            {can('knowledge.write') && (
              <div className="toolbar">
                <label>
                  Another severity number
                  <input value={newKey} onChange={(e) => setNewKey(e.target.value.trim())} inputMode="numeric" />
                </label>
                <button
                  type="button"
                  disabled={!newKey || severityKeys.includes(newKey)}
                  onClick={() => { setValues({ ...values, [`alert_severity/${newKey}`]: '' }); setNewKey(''); }}
                >
                  Add
                </button>
              </div>
            )}
          </fieldset>
          {can('knowledge.write') && (
            <div className="form-actions">
              <button type="submit" className="primary" disabled={busy}>
                {busy ? 'Saving…' : 'Save the risk model'}
              </button>
              <button type="button" disabled={busy} onClick={() => void save({})}>
                Back to the defaults
              </button>
              {saved && <span role="status" className="ok-text">Saved.</span>}
            </div>
          )}
        </form>
      </DataState>
    </section>
  );
}
