// One asset in a form: new (POST /assets) or edited (PUT /assets/{id}).
// Every field the API takes; atio's 422 field errors appear under their field.
import { useEffect, useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { api } from '../../../api/client';
import { useApi } from '../../../api/hooks';
import { DataState } from '../../../components/DataState';
import { Field, FormErrors } from '../../../components/FieldErrors';
import { ReadOnlyNote } from '../NeedsPermission';
import type { Asset } from '../types';

interface Draft {
  id: string;
  name: string;
  ips: string;
  cidrs: string;
  hostnames: string;
  owner: string;
  tags: string;
  criticality: string;
}

const blank: Draft = { id: '', name: '', ips: '', cidrs: '', hostnames: '', owner: '', tags: '', criticality: '3' };

function toDraft(a: Asset): Draft {
  return {
    id: a.id,
    name: a.name,
    ips: a.ips.join(', '),
    cidrs: a.cidrs.join(', '),
    hostnames: a.hostnames.join(', '),
    owner: a.owner,
    tags: a.tags.join(', '),
    criticality: String(a.criticality),
  };
}

const list = (s: string) => s.split(/[\s,;]+/).filter(Boolean);

// The body atio takes: empty members are left out (absent), the rest as typed,
// so that atio, not the form, judges them.
function toBody(d: Draft): Record<string, unknown> {
  const body: Record<string, unknown> = { name: d.name.trim() };
  if (d.id.trim()) body.id = d.id.trim();
  for (const k of ['ips', 'cidrs', 'hostnames', 'tags'] as const) if (list(d[k]).length) body[k] = list(d[k]);
  if (d.owner.trim()) body.owner = d.owner.trim();
  body.criticality = Number(d.criticality);
  return body;
}

const listHint = 'Separate several with commas or spaces.';
const shown = ['/id', '/name', '/ips', '/cidrs', '/hostnames', '/owner', '/tags', '/criticality'];

export function AssetForm() {
  const { id } = useParams();
  const editing = id !== undefined;
  const loaded = useApi<Asset>(editing ? `/assets/${id}` : null);
  const [draft, setDraft] = useState<Draft>(blank);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const navigate = useNavigate();

  useEffect(() => {
    if (loaded.data) setDraft(toDraft(loaded.data));
  }, [loaded.data]);

  const set = (k: keyof Draft) => (e: { target: { value: string } }) => setDraft({ ...draft, [k]: e.target.value });

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      if (editing) await api.put(`/assets/${id}`, { ...toBody(draft), id });
      else await api.post('/assets', toBody(draft));
      navigate('/assets', { state: { saved: draft.name.trim() } });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="asset-form-title">
      <p>
        <Link to="/assets">← Assets</Link>
      </p>
      <h2 id="asset-form-title">{editing ? `Asset ${loaded.data?.name ?? ''}` : 'New asset'}</h2>
      <ReadOnlyNote permission="knowledge.write" what="assets" />
      <DataState what="the asset" loading={editing && loaded.loading} error={loaded.error} onRetry={loaded.reload}>
        <form className="panel form-grid" onSubmit={submit} noValidate data-testid="asset-form">
          <FormErrors error={error} shown={shown} />
          <Field label="Name" pointer="/name" error={error} hint="Required.">
            {(a) => <input {...a} name="name" value={draft.name} onChange={set('name')} />}
          </Field>
          <Field label="Criticality" pointer="/criticality" error={error} hint="How much it matters: 1 low … 5 critical.">
            {(a) => (
              <select {...a} name="criticality" value={draft.criticality} onChange={set('criticality')}>
                <option value="1">1 — low</option>
                <option value="2">2</option>
                <option value="3">3 — default</option>
                <option value="4">4</option>
                <option value="5">5 — critical</option>
              </select>
            )}
          </Field>
          <Field label="IP addresses" pointer="/ips" error={error} hint={`IPv4 or IPv6. ${listHint}`}>
            {(a) => <input {...a} name="ips" value={draft.ips} onChange={set('ips')} placeholder="10.0.0.5, 2001:db8::5" />}
          </Field>
          <Field label="Networks (CIDR)" pointer="/cidrs" error={error} hint={`address/prefix. ${listHint}`}>
            {(a) => <input {...a} name="cidrs" value={draft.cidrs} onChange={set('cidrs')} placeholder="10.0.1.0/24" />}
          </Field>
          <Field label="Host names" pointer="/hostnames" error={error} hint={`Matched without regard to case. ${listHint}`}>
            {(a) => <input {...a} name="hostnames" value={draft.hostnames} onChange={set('hostnames')} placeholder="web-1.corp.example" />}
          </Field>
          <Field label="Owner" pointer="/owner" error={error}>
            {(a) => <input {...a} name="owner" value={draft.owner} onChange={set('owner')} placeholder="web team" />}
          </Field>
          <Field label="Tags" pointer="/tags" error={error} hint={`Policies match on them. ${listHint}`}>
            {(a) => <input {...a} name="tags" value={draft.tags} onChange={set('tags')} placeholder="pci, dmz" />}
          </Field>
          <Field label="Id" pointer="/id" error={error} hint={editing ? 'Fixed once made.' : 'Optional: a UUID; atio makes one when empty.'}>
            {(a) => <input {...a} name="id" className="mono" value={draft.id} onChange={set('id')} readOnly={editing} />}
          </Field>
          <p className="muted full">At least one address, network or host name is needed, or nothing could match the asset.</p>
          <div className="form-actions full">
            <button type="submit" className="primary" disabled={busy}>
              {busy ? 'Saving…' : editing ? 'Save' : 'Add asset'}
            </button>
            <Link to="/assets">Cancel</Link>
          </div>
        </form>
      </DataState>
    </section>
  );
}
