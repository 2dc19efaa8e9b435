// Lays out the graphs written by `bench_graph --dump-graphs DIR` with elkjs
// (layered) and @dagrejs/dagre, counts the crossings of every drawing with one
// routine (crossings.mjs) and prints a side-by-side table.
//
//   npm ci && node compare.mjs DIR [--wasm-dir DIR2] [--dagre-max-nodes N]
//
// DIR2: the same graphs dumped by the wasm build of bench_graph (adds our wasm
// time). dagre is skipped above N nodes (default 1500): it runs past a minute there.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import ELK from 'elkjs/lib/elk.bundled.js';
import dagre from '@dagrejs/dagre';
import { countPolylineCrossings } from './crossings.mjs';

const args = process.argv.slice(2);
if (args.length < 1) {
  console.error('usage: node compare.mjs DIR [--wasm-dir DIR2] [--dagre-max-nodes N]');
  process.exit(2);
}
const dir = args[0];
let wasmDir = null;
let dagreMax = 1500;
for (let i = 1; i < args.length; ++i) {
  if (args[i] === '--wasm-dir') wasmDir = args[++i];
  else if (args[i] === '--dagre-max-nodes') dagreMax = Number(args[++i]);
}

const NODE_SPACING = 40, LAYER_SPACING = 70;

function oursPolylines(g) {
  return g.ours.edges.map((pts) => pts.map(([x, y]) => ({ x, y })));
}

async function runElk(g, routing) {
  const elk = new ELK();
  const graph = {
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'DOWN',
      'elk.edgeRouting': routing,
      'elk.spacing.nodeNode': String(NODE_SPACING),
      'elk.layered.spacing.nodeNodeBetweenLayers': String(LAYER_SPACING),
    },
    children: g.nodes.map((n) => ({ id: n.id, width: n.width, height: n.height })),
    edges: g.edges.map(([a, b], i) => ({ id: 'e' + i, sources: [g.nodes[a].id], targets: [g.nodes[b].id] })),
  };
  const t0 = performance.now();
  const out = await elk.layout(graph);
  const ms = performance.now() - t0;
  const lines = out.edges.map((e) => {
    const pts = [];
    for (const s of e.sections || []) {
      pts.push(s.startPoint, ...(s.bendPoints || []), s.endPoint);
    }
    return pts.map((p) => ({ x: p.x, y: p.y }));
  });
  return { ms, crossings: countPolylineCrossings(lines) };
}

function runDagre(g) {
  const dg = new dagre.graphlib.Graph();
  dg.setGraph({ rankdir: 'TB', nodesep: NODE_SPACING, ranksep: LAYER_SPACING });
  dg.setDefaultEdgeLabel(() => ({}));
  for (const n of g.nodes) dg.setNode(n.id, { width: n.width, height: n.height });
  for (const [a, b] of g.edges) dg.setEdge(g.nodes[a].id, g.nodes[b].id);
  const t0 = performance.now();
  dagre.layout(dg);
  const ms = performance.now() - t0;
  const lines = g.edges.map(([a, b]) => dg.edge(g.nodes[a].id, g.nodes[b].id).points.map((p) => ({ x: p.x, y: p.y })));
  return { ms, crossings: countPolylineCrossings(lines) };
}

const order = (name) => {
  const m = name.match(/^dag-(\d+)/);
  return m ? Number(m[1]) : 1e9;
};
const files = readdirSync(dir).filter((f) => f.endsWith('.json'))
  .sort((a, b) => order(a) - order(b) || a.localeCompare(b));
const pad = (s, n) => String(s).padStart(n);
const fmt = (ms) => (ms === null ? '-' : ms < 10 ? ms.toFixed(2) : ms.toFixed(1));
console.log(['graph'.padEnd(24), pad('nodes', 6), pad('edges', 6), pad('ours ms', 9), pad('wasm ms', 9),
  pad('elk ms', 9), pad('elk-orth', 9), pad('dagre ms', 9), pad('x ours', 8), pad('x elk', 8), pad('x elk-or', 9),
  pad('x dagre', 8), pad('vs elk', 7)].join(' '));
const notes = [];
for (const f of files) {
  const g = JSON.parse(readFileSync(join(dir, f), 'utf8'));
  const ours = countPolylineCrossings(oursPolylines(g));
  let wasmMs = null;
  if (wasmDir && existsSync(join(wasmDir, f))) wasmMs = JSON.parse(readFileSync(join(wasmDir, f), 'utf8')).ours.timeMs;
  const elk = await runElk(g, 'POLYLINE');
  const elkOrth = await runElk(g, 'ORTHOGONAL');
  let dg = null;
  if (g.nodes.length <= dagreMax) dg = runDagre(g);
  else notes.push(`dagre skipped on ${g.name} (${g.nodes.length} nodes > ${dagreMax}): it runs past a minute at that size`);
  console.log([g.name.padEnd(24), pad(g.nodes.length, 6), pad(g.edges.length, 6), pad(fmt(g.ours.timeMs), 9),
    pad(fmt(wasmMs), 9), pad(fmt(elk.ms), 9), pad(fmt(elkOrth.ms), 9), pad(dg ? fmt(dg.ms) : 'skipped', 9),
    pad(ours, 8), pad(elk.crossings, 8), pad(elkOrth.crossings, 9), pad(dg ? dg.crossings : '-', 8),
    pad((elk.ms / g.ours.timeMs).toFixed(1) + 'x', 7)].join(' '));
}
for (const n of notes) console.log(n);
console.log('elk = elkjs layered with POLYLINE routing, elk-orth = its default ORTHOGONAL routing; ' +
  'crossings (x ...) counted by crossings.mjs on every drawing; vs elk = elk ms / ours ms (native).');
