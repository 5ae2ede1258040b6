// The editable graph: steps can be moved, linked by dragging from a step's
// bottom handle to another step, selected, and deleted (Delete or Backspace
// key). A palette adds a step of each CACAO type where the view is; the
// auto-layout button places every step again with elkjs. The document is
// owned by the editor: this component only reports what the user did.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import {
  applyNodeChanges,
  Background,
  Controls,
  Panel,
  ReactFlow,
  useReactFlow,
  type Connection,
  type Edge,
  type EdgeChange,
  type NodeChange,
} from '@xyflow/react';
import { stepLabel, stepTypes, workflowEdges, type CacaoStep, type GraphEdge, type StepType } from '../../../graph/cacao';
import { layoutGraph, sizeOf } from '../../../graph/layout';
import { nodeTypes, type StepFlowNode } from '../../../graph/StepNode';
import { edgeStyle } from '../../../graph/PlaybookGraph';
import { linkKinds } from '../../../graph/edit';
import type { Problem } from './problems';

type XY = { x: number; y: number };

// Fitting the view leaves room on the left for the palette, which floats over
// the graph's top-left corner, so that it hides no step.
const fitOptions = { padding: { top: '24px', right: '24px', bottom: '24px', left: '200px' }, maxZoom: 1.25 } as const;

export function EditorGraph(props: {
  workflow: Record<string, CacaoStep>;
  problems: Record<string, Problem[]>;
  selectedStep: string | null;
  selectedEdge: string | null;
  onSelectStep: (id: string | null) => void;
  onSelectEdge: (edge: GraphEdge | null) => void;
  onConnect: (source: string, target: string) => void;
  onDelete: (steps: string[], edges: GraphEdge[]) => void;
  onAddStep: (type: StepType) => string;
}) {
  const { workflow, problems, selectedStep, selectedEdge } = props;
  const rf = useReactFlow<StepFlowNode, Edge>();
  const wrapper = useRef<HTMLDivElement>(null);
  const wanted = useRef<Record<string, XY>>({}); // where new steps go
  const [ready, setReady] = useState(false);
  const [nodes, setNodes] = useState<StepFlowNode[]>([]);
  const graphEdges = useMemo(() => workflowEdges(workflow).filter((e) => workflow[e.target]), [workflow]);
  const edgeById = useMemo(() => new Map(graphEdges.map((e) => [e.id, e])), [graphEdges]);

  const layout = useCallback(async () => {
    const list = Object.entries(workflow).map(([id, s]) => ({ id, type: s.type }));
    const p = await layoutGraph(list, graphEdges);
    return p;
  }, [workflow, graphEdges]);

  // First drawing: lay the graph out once.
  useEffect(() => {
    let live = true;
    layout().then((p) => {
      if (!live) return;
      wanted.current = p;
      setReady(true);
    });
    return () => {
      live = false;
    };
  }, []); // eslint-disable-line react-hooks/exhaustive-deps

  // Keep the nodes in step with the document, keeping positions and sizes.
  useEffect(() => {
    if (!ready) return;
    setNodes((prev) => {
      const byId = new Map(prev.map((n) => [n.id, n]));
      return Object.entries(workflow).map(([id, s]) => {
        const data = { label: stepLabel(s), stepType: s.type, problems: problems[id]?.map((p) => (p.path.length ? `${p.path.join('/')}: ${p.message}` : p.message)) };
        const old = byId.get(id);
        const ariaLabel = `${s.type} step ${stepLabel(s)}${data.problems?.length ? `, ${data.problems.length} problem(s)` : ''}`;
        if (old) return { ...old, data, ariaLabel, selected: id === selectedStep };
        return { id, type: 'step' as const, position: wanted.current[id] ?? { x: 0, y: 0 }, data, ariaLabel, selected: id === selectedStep };
      });
    });
  }, [ready, workflow, problems, selectedStep]);

  // Layouts finished so far, on the button (data-layouts): the places come
  // from elkjs and the view is fitted after the click returns.
  const [layouts, setLayouts] = useState(0);
  const autoLayout = async () => {
    const p = await layout();
    setNodes((ns) => ns.map((n) => ({ ...n, position: p[n.id] ?? n.position })));
    requestAnimationFrame(() => {
      void rf.fitView(fitOptions);
      setLayouts((n) => n + 1);
    });
  };

  // A spot for a new step near the middle of the view that no step covers.
  const freeSpot = (type: StepType): XY => {
    const box = wrapper.current?.getBoundingClientRect();
    const size = sizeOf(type);
    const c = box ? rf.screenToFlowPosition({ x: box.left + box.width / 2, y: box.top + box.height / 2 }) : { x: 0, y: 0 };
    const taken = nodes.map((n) => ({ ...n.position, ...sizeOf(n.data.stepType) }));
    const free = (p: XY) =>
      taken.every((t) => p.x + size.width + 20 <= t.x || t.x + t.width + 20 <= p.x || p.y + size.height + 20 <= t.y || t.y + t.height + 20 <= p.y);
    const spots: { dx: number; dy: number; score: number }[] = [];
    for (let dx = -4; dx <= 4; dx++) {
      for (let dy = -6; dy <= 6; dy++) spots.push({ dx, dy, score: Math.abs(dx) + Math.abs(dy) * 0.9 - (dx > 0 ? 0.5 : 0) });
    }
    spots.sort((a, b) => a.score - b.score);
    for (const { dx, dy } of spots) {
      const p = { x: c.x - size.width / 2 + dx * 220, y: c.y - size.height / 2 + dy * 100 };
      if (free(p)) return p;
    }
    return { x: c.x - size.width / 2, y: c.y - size.height / 2 };
  };

  const add = (type: StepType) => {
    const spot = freeSpot(type);
    const id = props.onAddStep(type);
    wanted.current[id] = spot;
  };

  const edges: Edge[] = useMemo(
    () =>
      graphEdges.map((e) => ({
        id: e.id,
        source: e.source,
        target: e.target,
        label: e.kind === 'next_steps' ? 'branch' : e.label || undefined,
        selected: e.id === selectedEdge,
        interactionWidth: 24,
        ...edgeStyle(e.kind),
      })),
    [graphEdges, selectedEdge],
  );

  const onNodesChange = (changes: NodeChange<StepFlowNode>[]) => {
    const kept = changes.filter((c) => c.type !== 'remove' && c.type !== 'select');
    if (kept.length) setNodes((ns) => applyNodeChanges(kept, ns));
    const picked = changes.find((c) => c.type === 'select' && c.selected);
    if (picked && picked.type === 'select') props.onSelectStep(picked.id);
  };
  const onEdgesChange = (changes: EdgeChange[]) => {
    const picked = changes.find((c) => c.type === 'select' && c.selected);
    if (picked && picked.type === 'select') props.onSelectEdge(edgeById.get(picked.id) ?? null);
  };
  const isValidConnection = (c: Connection | Edge) => {
    const s = workflow[c.source];
    return !!s && c.source !== c.target && linkKinds(s.type).length > 0;
  };

  return (
    <div className="graph pb-editor-graph" ref={wrapper} data-testid="editor-graph">
      {ready && (
        <ReactFlow
          nodes={nodes}
          edges={edges}
          nodeTypes={nodeTypes}
          onNodesChange={onNodesChange}
          onEdgesChange={onEdgesChange}
          onConnect={(c) => c.source && c.target && props.onConnect(c.source, c.target)}
          isValidConnection={isValidConnection}
          onDelete={({ nodes: ns, edges: es }) =>
            props.onDelete(
              ns.map((n) => n.id),
              es.map((e) => edgeById.get(e.id)).filter((e): e is GraphEdge => !!e),
            )
          }
          onPaneClick={() => {
            props.onSelectStep(null);
            props.onSelectEdge(null);
          }}
          deleteKeyCode={['Delete', 'Backspace']}
          connectionRadius={36}
          fitView
          fitViewOptions={fitOptions}
          proOptions={{ hideAttribution: true }}
        >
          <Panel position="top-left" className="pb-palette" role="group" aria-label="Add a step">
            <span className="pb-palette-title">Add</span>
            {stepTypes.map((t) => (
              <button key={t} type="button" onClick={() => add(t)} data-testid={`palette-${t}`} title={`Add a ${t} step`}>
                <span className={`pb-swatch shape-${t}`} aria-hidden />
                {t}
              </button>
            ))}
          </Panel>
          <Panel position="top-right">
            <button type="button" onClick={() => void autoLayout()} data-testid="auto-layout" data-layouts={layouts}>
              Auto-layout
            </button>
          </Panel>
          <Background />
          <Controls showInteractive={false} fitViewOptions={fitOptions} />
        </ReactFlow>
      )}
    </div>
  );
}
