// A read-only drawing of a playbook's workflow, laid out automatically; with
// `statuses` each step is coloured by its state in an execution. Clicking a
// step selects it (onSelect).
import { useEffect, useMemo, useState } from 'react';
import { Background, Controls, MarkerType, ReactFlow, type Edge } from '@xyflow/react';
import { stepLabel, workflowEdges, type CacaoPlaybook } from './cacao';
import { layoutGraph } from './layout';
import { nodeTypes, type StepFlowNode } from './StepNode';

export function edgeStyle(kind: string): Partial<Edge> {
  const stroke = kind === 'on_failure' || kind === 'on_false' ? '#c0392b' : kind === 'on_true' || kind === 'on_success' ? '#1e8449' : '#566573';
  return { style: { stroke }, markerEnd: { type: MarkerType.ArrowClosed, color: stroke } };
}

export function PlaybookGraph(props: {
  playbook: CacaoPlaybook;
  statuses?: Record<string, { status: string; detail?: string }>;
  selected?: string | null;
  onSelect?: (stepId: string | null) => void;
  height?: number;
}) {
  const { playbook, statuses, selected, onSelect } = props;
  const workflow = playbook.workflow ?? {};
  const edges = useMemo(() => workflowEdges(workflow), [workflow]);
  const [positions, setPositions] = useState<Record<string, { x: number; y: number }> | null>(null);

  useEffect(() => {
    let live = true;
    const nodes = Object.entries(workflow).map(([id, s]) => ({ id, type: s.type }));
    layoutGraph(nodes, edges).then((p) => live && setPositions(p));
    return () => {
      live = false;
    };
  }, [workflow, edges]);

  const nodes: StepFlowNode[] = useMemo(
    () =>
      Object.entries(workflow).map(([id, s]) => ({
        id,
        type: 'step',
        position: positions?.[id] ?? { x: 0, y: 0 },
        selected: id === selected,
        data: { label: stepLabel(s), stepType: s.type, status: statuses?.[id]?.status, detail: statuses?.[id]?.detail },
      })),
    [workflow, positions, statuses, selected],
  );
  const flowEdges: Edge[] = useMemo(
    () =>
      edges.map((e) => ({
        id: e.id,
        source: e.source,
        target: e.target,
        label: e.label || undefined,
        ...edgeStyle(e.kind),
      })),
    [edges],
  );

  return (
    <div className="graph" style={{ height: props.height ?? 520 }}>
      {positions && (
        <ReactFlow
          nodes={nodes}
          edges={flowEdges}
          nodeTypes={nodeTypes}
          nodesDraggable={false}
          nodesConnectable={false}
          fitView
          onNodeClick={(_, n) => onSelect?.(n.id)}
          onPaneClick={() => onSelect?.(null)}
          proOptions={{ hideAttribution: true }}
        >
          <Background />
          <Controls showInteractive={false} />
        </ReactFlow>
      )}
    </div>
  );
}
