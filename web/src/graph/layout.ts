// Automatic layout of a workflow graph with elkjs (layered, top to bottom).
// elkjs is most of the UI's code, so it is loaded the first time a graph is
// laid out, not with the first page.
import type { ELK as ElkApi } from 'elkjs/lib/elk-api';
import type { GraphEdge } from './cacao';

let elkLoading: Promise<ElkApi> | null = null;

function loadElk(): Promise<ElkApi> {
  elkLoading ??= import('elkjs/lib/elk.bundled.js').then((m) => new m.default());
  return elkLoading;
}

export interface Size {
  width: number;
  height: number;
}

export const nodeSize: Record<string, Size> = {
  start: { width: 56, height: 56 },
  end: { width: 56, height: 56 },
  'if-condition': { width: 150, height: 90 },
  'while-condition': { width: 150, height: 90 },
  'switch-condition': { width: 150, height: 90 },
  parallel: { width: 170, height: 44 },
  action: { width: 190, height: 64 },
  'playbook-action': { width: 190, height: 64 },
};

export function sizeOf(type: string): Size {
  return nodeSize[type] ?? nodeSize.action;
}

// Top-left positions of every node, keyed by id.
export async function layoutGraph(
  nodes: { id: string; type: string }[],
  edges: GraphEdge[],
): Promise<Record<string, { x: number; y: number }>> {
  const ids = new Set(nodes.map((n) => n.id));
  const elk = await loadElk();
  const res = await elk.layout({
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'DOWN',
      'elk.layered.spacing.nodeNodeBetweenLayers': '50',
      'elk.spacing.nodeNode': '40',
      'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
    },
    children: nodes.map((n) => ({ id: n.id, ...sizeOf(n.type) })),
    edges: edges
      .filter((e) => ids.has(e.source) && ids.has(e.target))
      .map((e) => ({ id: e.id, sources: [e.source], targets: [e.target] })),
  });
  const out: Record<string, { x: number; y: number }> = {};
  for (const c of res.children ?? []) out[c.id] = { x: c.x ?? 0, y: c.y ?? 0 };
  return out;
}
