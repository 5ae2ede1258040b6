// The playbook editor page (/playbooks/new, /playbooks/:id/edit). It holds
// the CACAO document itself and edits it in place (graph/edit.ts), so every
// property it has no form for survives a save. Save is PUT /playbooks/{id}
// with a comment (a new version) or POST /playbooks for a new playbook; a
// 422 puts each problem on the step it names and the rest above the graph.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router-dom';
import { ReactFlowProvider } from '@xyflow/react';
import { api, ApiError } from '../../../api/client';
import { useApi } from '../../../api/hooks';
import { DataState } from '../../../components/DataState';
import type { CacaoPlaybook, EdgeKind, GraphEdge, StepType } from '../../../graph/cacao';
import { addStep, cacaoNow, linkKinds, newPlaybook, patchPlaybook, patchStep, removeLink, removeSteps, setLink } from '../../../graph/edit';
import { RequestError } from '../FieldErrorList';
import type { PlaybookRef } from '../types';
import { EditorGraph } from './EditorGraph';
import { LinkChooser } from './LinkChooser';
import { PlaybookForm } from './PlaybookForm';
import { StepForm } from './StepForm';
import { ProblemList } from './ProblemList';
import { DraftContext } from './drafts';
import { groupProblems, noProblems, type Problems } from './problems';

export function PlaybookEditorPage() {
  const id = useParams().id;
  const loaded = useApi<CacaoPlaybook>(id ? `/playbooks/${encodeURIComponent(id)}` : null);
  const [fresh] = useState(() => (id ? null : newPlaybook()));
  const initial = id ? loaded.data : fresh;
  return (
    <DataState what="the playbook" loading={!!id && loaded.loading && !loaded.data} error={loaded.error} onRetry={loaded.reload}>
      {initial && (
        <ReactFlowProvider>
          <Editor key={initial.id} initial={initial} isNew={!id} />
        </ReactFlowProvider>
      )}
    </DataState>
  );
}

function Editor({ initial, isNew }: { initial: CacaoPlaybook; isNew: boolean }) {
  const navigate = useNavigate();
  const location = useLocation();
  const [doc, setDoc] = useState<CacaoPlaybook>(initial);
  const [baseline, setBaseline] = useState(() => (isNew ? '' : JSON.stringify(initial)));
  const [selected, setSelected] = useState<string | null>(null);
  const [selectedEdge, setSelectedEdge] = useState<GraphEdge | null>(null);
  const [pending, setPending] = useState<{ source: string; target: string } | null>(null);
  const [problems, setProblems] = useState<Problems>(noProblems);
  const [saveError, setSaveError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string>((location.state as { saved?: string } | null)?.saved ?? '');
  const [comment, setComment] = useState('');
  const [saving, setSaving] = useState(false);
  const [drafts, setDrafts] = useState<Record<string, string>>({});

  const reportDraft = useCallback((key: string, problem: string | null) => {
    setDrafts((d) => {
      if ((d[key] ?? null) === problem) return d;
      const next = { ...d };
      if (problem === null) delete next[key];
      else next[key] = problem;
      return next;
    });
  }, []);

  const dirty = JSON.stringify(doc) !== baseline;
  // Unsaved changes: ask before the tab closes or a link leaves the editor.
  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    const leave = (e: MouseEvent) => {
      const a = (e.target as Element | null)?.closest?.('a[href]');
      if (!a || a.getAttribute('download') !== null || e.defaultPrevented) return;
      if (!window.confirm('Leave the editor? Your unsaved changes will be lost.')) {
        e.preventDefault();
        e.stopPropagation();
      }
    };
    window.addEventListener('beforeunload', warn);
    document.addEventListener('click', leave, true);
    return () => {
      window.removeEventListener('beforeunload', warn);
      document.removeEventListener('click', leave, true);
    };
  }, [dirty]);

  const workflow = useMemo(() => doc.workflow ?? {}, [doc.workflow]);
  const edit = (f: (d: CacaoPlaybook) => CacaoPlaybook) => {
    setDoc(f);
    setNotice('');
  };

  const connect = (source: string, target: string) => {
    const s = workflow[source];
    if (!s) return;
    const kinds = linkKinds(s.type);
    if (kinds.length === 1) edit((d) => setLink(d, source, kinds[0], target));
    else if (kinds.length > 1) setPending({ source, target });
  };
  const deleteThings = (steps: string[], edges: GraphEdge[]) => {
    edit((d) => removeSteps(edges.reduce((acc, e) => removeLink(acc, e), d), steps));
    if (selected && steps.includes(selected)) setSelected(null);
    setSelectedEdge(null);
  };
  const links = (stepId: string) => ({
    link: (kind: EdgeKind, target: string, caseValue = '') => edit((d) => setLink(d, stepId, kind, target, caseValue)),
    unlink: (kind: EdgeKind, target: string, label: string) => edit((d) => removeLink(d, { source: stepId, kind, target, label })),
  });

  const save = async () => {
    setSaving(true);
    setSaveError(null);
    setNotice('');
    const body: CacaoPlaybook = { ...doc, modified: cacaoNow() };
    const query = comment.trim() ? { comment: comment.trim() } : undefined;
    try {
      const path = `/playbooks/${encodeURIComponent(doc.id)}`;
      const ref = isNew ? await api.post<PlaybookRef>('/playbooks', body, query) : await api.put<PlaybookRef>(path, body, query);
      setProblems(noProblems);
      setComment('');
      if (isNew) {
        navigate(`/playbooks/${encodeURIComponent(ref.id)}/edit`, { replace: true, state: { saved: `Created “${ref.name}”.` } });
        return;
      }
      setDoc(body);
      setBaseline(JSON.stringify(body));
      setNotice('Saved as a new version.');
    } catch (e) {
      if (e instanceof ApiError && e.status === 422) {
        setProblems(groupProblems(e.errors, new Set(Object.keys(body.workflow ?? {}))));
      } else {
        setProblems(noProblems);
        setSaveError(e);
      }
    } finally {
      setSaving(false);
    }
  };

  const draftList = Object.values(drafts);
  const step = selected ? workflow[selected] : undefined;
  const stepCount = Object.keys(problems.byStep).length;
  const total = problems.playbook.length + Object.values(problems.byStep).reduce((n, l) => n + l.length, 0);
  const agents = (doc.agent_definitions ?? {}) as Record<string, { name?: string; type?: string }>;

  return (
    <DraftContext.Provider value={reportDraft}>
      <section className="pb-editor">
        <p className="muted">
          <Link to="/playbooks">Playbooks</Link> /{' '}
          {!isNew && (
            <>
              <Link to={`/playbooks/${encodeURIComponent(doc.id)}`}>{initial.name}</Link> /
            </>
          )}
        </p>
        <div className="pb-heading">
          <h1>{isNew ? 'New playbook' : `Edit “${doc.name}”`}</h1>
          <form
            className="pb-save"
            onSubmit={(e) => {
              e.preventDefault();
              void save();
            }}
          >
            <label>
              Comment for this version
              <input value={comment} onChange={(e) => setComment(e.target.value)} placeholder="What changed and why" size={32} data-testid="save-comment" />
            </label>
            <button type="submit" className="primary" disabled={saving || draftList.length > 0} data-testid="save">
              {saving ? 'Saving…' : isNew ? 'Create' : 'Save'}
            </button>
            <span className="muted" role="status" data-testid="dirty">
              {dirty ? 'Unsaved changes' : 'No unsaved changes'}
            </span>
          </form>
        </div>
        {draftList.length > 0 && (
          <div className="error-banner" role="alert">
            Fix these fields before saving: {draftList.join('; ')}
          </div>
        )}
        {notice && (
          <p className="notice" role="status" data-testid="save-notice">
            {notice}{' '}
            {!isNew && <Link to={`/playbooks/${encodeURIComponent(doc.id)}/versions`}>See the version history</Link>}
          </p>
        )}
        <RequestError error={saveError} />
        {total > 0 && (
          <ProblemList
            total={total}
            playbook={problems.playbook}
            byStep={problems.byStep}
            workflow={workflow}
            stepCount={stepCount}
            onPick={(sid) => {
              setSelected(sid);
              setSelectedEdge(null);
            }}
          />
        )}
        <div className="split pb-editor-split">
          <EditorGraph
            workflow={workflow}
            problems={problems.byStep}
            selectedStep={selected}
            selectedEdge={selectedEdge?.id ?? null}
            onSelectStep={(sid) => {
              setSelected(sid);
              if (sid) setSelectedEdge(null);
            }}
            onSelectEdge={(e) => {
              setSelectedEdge(e);
              if (e) setSelected(null);
            }}
            onConnect={connect}
            onDelete={deleteThings}
            onAddStep={(type: StepType) => {
              const r = addStep(doc, type);
              edit(() => r.doc);
              setSelected(r.id);
              setSelectedEdge(null);
              return r.id;
            }}
          />
          <aside className="panel pb-side" aria-label={step ? 'Selected step' : 'Playbook'}>
            {selectedEdge && (
              <div className="pb-edge-panel" data-testid="edge-panel">
                <h2>Link</h2>
                <p>
                  {workflow[selectedEdge.source]?.name || selectedEdge.source} → {workflow[selectedEdge.target]?.name || selectedEdge.target}
                  <br />
                  <span className="muted">
                    {selectedEdge.kind}
                    {selectedEdge.kind === 'case' ? ` “${selectedEdge.label}”` : ''}
                  </span>
                </p>
                <button type="button" className="danger" onClick={() => deleteThings([], [selectedEdge])}>
                  Delete link
                </button>
              </div>
            )}
            {step && selected ? (
              <StepForm
                key={selected}
                id={selected}
                step={step}
                workflow={workflow}
                agents={agents}
                playbookId={doc.id}
                problems={problems.byStep[selected] ?? []}
                patch={(p) => edit((d) => patchStep(d, selected, p))}
                links={links(selected)}
                onDelete={() => deleteThings([selected], [])}
              />
            ) : (
              !selectedEdge && <PlaybookForm doc={doc} problems={problems.playbook} patch={(p) => edit((d) => patchPlaybook(d, p))} />
            )}
          </aside>
        </div>
        {pending && workflow[pending.source] && workflow[pending.target] && (
          <LinkChooser
            source={workflow[pending.source]}
            target={workflow[pending.target]}
            onCancel={() => setPending(null)}
            onChoose={(kind, caseValue) => {
              edit((d) => setLink(d, pending.source, kind, pending.target, caseValue));
              setPending(null);
            }}
          />
        )}
      </section>
    </DraftContext.Provider>
  );
}
