// Browser figures for scripts/bench: navigation to first frame (median of 5
// fresh loads), the CPU time App::Frame() reports for the demo workspace, and
// the graph canvas on the synthetic CMDB (100,000 CIs, 400,000 relationships,
// written by the native write_synthetic_cmdb and imported through File >
// Import CMDB): frame CPU time with about 5,000 nodes in view, and the time
// from adding a CI to a change to the frame that draws its blast radius.
// Figures only: nothing is asserted.
//
// Environment: PLANNER_WEB_BUILD (the web build, default build/web) and
// PLANNER_NATIVE_BUILD (where tests/write_synthetic_cmdb is, default
// build/native-release); `--canvas-only` skips the first two figures.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  BUILD, ROOT, clickAndWait, clickWidget, closeContext, fileMenu, launch, nextFrames, plannerState, serveBuild, typeInto,
  waitForFirstFrame,
} from '../e2e/lib/browser.mjs';

const NATIVE_BUILD = process.env.PLANNER_NATIVE_BUILD || join(ROOT, 'build', 'native-release');
const canvasOnly = process.argv.includes('--canvas-only');

// Fresh profile each time, so every load is a first visit that creates the
// demo workspace: [first frame ms], [workspace shown ms], both ascending.
async function firstFrame(url, runs = 5) {
  const first = [];
  const shown = [];
  for (let i = 0; i < runs; i++) {
    const context = await launch(null);
    const page = await context.newPage();
    await page.goto(url);
    await waitForFirstFrame(page, 60000);
    const t = await page.evaluate(() => [window.planner.firstFrameMs, window.planner.workspaceShownMs]);
    first.push(t[0]);
    shown.push(t[1]);
    await closeContext(context);
  }
  return [first.sort((a, b) => a - b), shown.sort((a, b) => a - b)];
}

const loads = (label, [first, shown]) => {
  const m = (v) => `median ${v[2].toFixed(0)}  min ${v[0].toFixed(0)}  max ${v[4].toFixed(0)}`;
  console.log(`first frame, ${label} (ms, 5 first visits): ${m(first)}  (budget 1500)`);
  console.log(`  demo workspace created and shown (ms): ${m(shown)}`);
};

// Value at quantile q of an ascending array (nearest rank).
const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
const median = (values) => quantile([...values].sort((a, b) => a - b), 0.5);

async function frameCpuSamples(page, n = 30) {
  const samples = [];
  for (let i = 0; i < n; i++) {
    await nextFrames(page, 1);
    samples.push(await page.evaluate(() => window.planner.state().frameCpuMs));
  }
  return samples.sort((a, b) => a - b);
}

async function demoFigures(url) {
  loads('hosted', await firstFrame(url));
  const singleFile = join(BUILD, 'single', 'change-planner.html');
  if (existsSync(singleFile)) {
    loads('single file', await firstFrame(pathToFileURL(singleFile).href));
  } else {
    console.log(`first frame, single file: not measured, ${singleFile} is not built (target planner_single)`);
  }

  const context = await launch(null);
  const page = await context.newPage();
  await page.goto(url);
  await waitForFirstFrame(page);
  await nextFrames(page, 30);
  const samples = await frameCpuSamples(page);
  console.log(`App::Frame() CPU time, demo workspace (ms, 30 frames): median ${quantile(samples, 0.5).toFixed(2)}  p90 ${quantile(samples, 0.9).toFixed(2)}  (budget 2)`);
  await closeContext(context);
}

// ---- Graph canvas on the synthetic CMDB ----------------------------------------

// Runs `body` under a Chrome trace of the page and returns its result with the
// trace's events: each animation-frame callback has its wall time (dur) and
// its main-thread CPU time (tdur), which software WebGL's waits do not inflate.
async function traced(page, body) {
  const browser = page.context().browser();
  await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline'] });
  let result, failure;
  try {
    result = await body();
  } catch (e) {
    failure = e;
  }
  const trace = await browser.stopTracing();
  if (failure) throw failure;
  return { result, events: JSON.parse(trace.toString('utf8')).traceEvents };
}

// The app's animation frames in a trace: FireAnimationFrame events that hold no
// TimeStamp of ours (our probes mark their own callbacks with console.timeStamp).
function appFrames(events) {
  const marks = events.filter((e) => e.name === 'TimeStamp' && String(e.args?.data?.message).startsWith('planner-bench'));
  const inside = (f, m) => m.pid === f.pid && m.tid === f.tid && m.ts >= f.ts && m.ts <= f.ts + f.dur;
  return events
    .filter((e) => e.name === 'FireAnimationFrame' && e.ph === 'X')
    .filter((f) => !marks.some((m) => inside(f, m)))
    .map((f) => ({ ts: f.ts, ms: f.dur / 1000, cpuMs: (f.tdur ?? f.dur) / 1000 }))
    .sort((a, b) => a.ts - b.ts);
}

const markTs = (events, message) => events.find((e) => e.name === 'TimeStamp' && e.args?.data?.message === message)?.ts;

async function newChange(page, title) {
  await clickAndWait(page, 'changes.new', 4);
  await typeInto(page, 'dialog.new.title', title);
  await clickAndWait(page, 'dialog.new.create', 6);
  await page.waitForFunction((t) => window.planner.state().selectedTitle === t, title, { timeout: 60000 });
}

// Types the CI's name into the graph's CMDB search until its Add button shows.
async function searchCi(page, ci) {
  await typeInto(page, 'graph.add_ci_search', ci.name);
  await page.waitForFunction((id) => window.planner.widgets().includes(`graph.add_ci.${id}`), ci.id, { timeout: 60000 });
  await nextFrames(page, 3);
}

// Clicks the CI's Add button as a person does (pointer there first, the button
// held for two frames) and measures from the button's release to the end of
// the first frame that draws the graph of the new impact set. A
// requestAnimationFrame probe, which runs after the app's frame, reads only the
// widget list until then, so the impact set is computed where the app computes
// it. Returns the wall time, the main-thread CPU time of the app's frames in
// between (Chrome trace) and the state of the drawing frame.
async function timedAdd(page, ci) {
  const r = await page.evaluate((l) => window.planner.widgetRect(l), `graph.add_ci.${ci.id}`);
  await page.mouse.move(r.x + r.w / 2, r.y + r.h / 2);
  await nextFrames(page, 2);
  await page.mouse.down();
  await nextFrames(page, 2);
  const { result, events } = await traced(page, async () => {
    await page.evaluate(() => {
      const probe = { start: 0, end: 0, done: false, state: null };
      window.plannerBenchProbe = probe;
      window.addEventListener('mouseup', () => {
        probe.start = performance.now();
        console.timeStamp('planner-bench-release');
      }, { capture: true, once: true });
      const poll = () => {
        console.timeStamp('planner-bench-poll');
        if (probe.start && window.planner.widgets().includes('graph.canvas')) {
          probe.end = performance.now();
          console.timeStamp('planner-bench-drawn');
          probe.state = window.planner.state();
          probe.done = true;
          return;
        }
        requestAnimationFrame(poll);
      };
      requestAnimationFrame(poll);
    });
    await page.mouse.up();
    await page.waitForFunction(() => window.plannerBenchProbe.done, null, { timeout: 300000, polling: 100 });
    return page.evaluate(() => ({ ms: window.plannerBenchProbe.end - window.plannerBenchProbe.start, state: window.plannerBenchProbe.state }));
  });
  const from = markTs(events, 'planner-bench-release'), to = markTs(events, 'planner-bench-drawn');
  const frames = appFrames(events).filter((f) => f.ts > from && f.ts < to);
  return { ...result, frames: frames.length, cpuMs: frames.reduce((sum, f) => sum + f.cpuMs, 0) };
}

async function canvasFigures(url) {
  const tool = join(NATIVE_BUILD, 'tests', 'write_synthetic_cmdb');
  if (!existsSync(tool)) {
    console.log(`graph canvas on the synthetic CMDB: not measured, ${tool} is not built (target write_synthetic_cmdb)`);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'planner-bench-cmdb-'));
  // Headless Chromium draws WebGL in software: a frame's wall time grows with
  // the page's pixels, so the set-up runs in a small page and each figure
  // enlarges it.
  const context = await launch(null, { width: 800, height: 600 });
  try {
    const cmdb = JSON.parse(execFileSync(tool, [dir], { encoding: 'utf8' }));
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(url);
    await waitForFirstFrame(page);
    await nextFrames(page, 4);

    // An empty workspace, filled through File > Import CMDB with the two CSV files.
    await fileMenu(page, 'menu.file.workspaces');
    await typeInto(page, 'workspaces.new.name', 'bench');
    await clickAndWait(page, 'workspaces.new.create', 6);
    await page.waitForFunction(() => window.planner.state().workspaceId === 'bench', null, { timeout: 60000 });
    await clickAndWait(page, 'dialog.close', 4);
    await fileMenu(page, 'menu.file.import');
    for (const file of [cmdb.ciCsv, cmdb.relationshipCsv]) {
      const [chooser] = await Promise.all([page.waitForEvent('filechooser'), clickWidget(page, 'import.add')]);
      await chooser.setFiles(file);
      await nextFrames(page, 20);  // the page reads the file, the dialog lists it
    }
    await clickWidget(page, 'import.run');
    await page.waitForFunction(() => {
      const s = window.planner.state();
      return s.import && !s.import.running && s.import.message !== '';
    }, null, { timeout: 900000, polling: 1000 }).catch(() => {});
    const imported = await plannerState(page);
    if (imported.counts.cis !== cmdb.cis || imported.counts.relationships !== cmdb.relationships) {
      throw new Error(`the CMDB import through the page gave ${imported.counts.cis} CIs and ${imported.counts.relationships} ` +
        `relationships, expected ${cmdb.cis} and ${cmdb.relationships} (${imported.import?.message ?? 'no import message'})` +
        `${errors.length ? `; page errors: ${errors.join('; ')}` : ''}`);
    }
    await clickAndWait(page, 'dialog.close', 4);
    console.log(`synthetic CMDB imported through File > Import CMDB: ${cmdb.cis} CIs, ${cmdb.relationships} relationships; ` +
      `load average ${loadavg()[0].toFixed(1)} on ${cpus().length} cores`);

    // 1. A change whose impact set is about 5,000 CIs, fitted to the view: at
    //    the minimum zoom a 2560x1440 page shows all of it.
    const large = cmdb.large;
    await newChange(page, `Replace ${large.name}`);
    await searchCi(page, large);
    await clickWidget(page, `graph.add_ci.${large.id}`);
    await page.waitForFunction(() => window.planner.widgets().includes('graph.canvas'), null, { timeout: 300000, polling: 250 });
    // The canvas draws the 1,000 CIs nearest to the change first; ask for all.
    const nearest = (await plannerState(page)).graph;
    await clickWidget(page, 'graph.show_all');
    await page.waitForFunction((n) => window.planner.state().graph.nodes > n, nearest.nodes, { timeout: 300000, polling: 250 });
    console.log(`impact set of ${large.name}: first drawn as the ${nearest.nodes} nearest CIs (layout ${nearest.layoutMs.toFixed(0)} ms), ` +
      `then all of them after "Draw all"`);
    await page.setViewportSize({ width: 2560, height: 1440 });
    await nextFrames(page, 4);
    await clickAndWait(page, 'graph.fit', 4);
    // The mouse rests outside the canvas (no hover card), as while reading the graph.
    await page.mouse.move(4, 1436);
    await nextFrames(page, 10);
    const { result: sampled, events } = await traced(page, () => page.evaluate((n) => new Promise((resolve) => {
      const out = [];
      const tick = () => {
        console.timeStamp('planner-bench-sample');
        const s = window.planner.state();
        out.push({ frame: s.frames, cpuMs: s.frameCpuMs, graph: s.graph });
        if (out.length < n) requestAnimationFrame(tick);
        else resolve(out);
      };
      requestAnimationFrame(tick);
    }), 31));
    const samples = sampled.slice(1).map((s) => s.cpuMs).sort((a, b) => a - b);
    const first = markTs(events, 'planner-bench-sample');
    const traceFrames = appFrames(events).filter((f) => f.ts > first);
    const threadCpu = traceFrames.map((f) => f.cpuMs).sort((a, b) => a - b);
    const wall = traceFrames.map((f) => f.ms).sort((a, b) => a - b);
    const g = sampled[sampled.length - 1].graph;
    console.log(`graph canvas, ${large.name} (${large.type}) affected: ${g.nodes} CIs and ${g.edges} relationships in the impact set, ` +
      `laid out once in ${g.layoutMs.toFixed(0)} ms; fitted to a 2560x1440 page at zoom ${(g.zoom * 100).toFixed(1)}%, detail level ${g.detailLevel}: ` +
      `${g.nodesVisible} nodes in view, ${g.nodesDrawn} drawn; ${g.edgesDrawn} edges drawn, ${g.edgesSkipped} left out (16-bit vertex limit)`);
    console.log(`App::Frame() CPU time, graph canvas with ${g.nodesDrawn} nodes drawn (ms, ${samples.length} frames): ` +
      `median ${quantile(samples, 0.5).toFixed(2)}  p90 ${quantile(samples, 0.9).toFixed(2)}  (budget 8)`);
    if (threadCpu.length) {
      console.log(`  same frames in a Chrome trace: main-thread CPU per animation frame (App::Frame() and the WebGL calls) ` +
        `median ${quantile(threadCpu, 0.5).toFixed(2)}  p90 ${quantile(threadCpu, 0.9).toFixed(2)}; wall median ${quantile(wall, 0.5).toFixed(0)} ` +
        `(software WebGL waits), ${threadCpu.length} frames`);
    }

    // 2. Adding a CI to a change until the frame that draws its blast radius,
    //    one typical CI per CI type; each add is undone before the next.
    await page.setViewportSize({ width: 1280, height: 720 });
    await nextFrames(page, 4);
    await newChange(page, 'Pick the affected CIs');
    const rows = [];
    for (const ci of cmdb.picks) {
      await searchCi(page, ci);
      const r = await timedAdd(page, ci);
      rows.push({ ci, ...r });
      const gs = r.state.graph;
      console.log(`  ${ci.name.padEnd(22)} ${ci.type.padEnd(16)} impact ${String(r.state.selectedImpactCount).padStart(5)} CIs: ` +
        `main-thread CPU ${r.cpuMs.toFixed(1).padStart(7)} ms in ${r.frames} frames, wall ${r.ms.toFixed(0).padStart(5)} ms; ` +
        `drawing frame's App::Frame() ${r.state.frameCpuMs.toFixed(1)} ms = impact set ${gs.impactMs.toFixed(2)} + ` +
        `layout ${gs.layoutMs.toFixed(1)} (engine ${gs.layoutEngineMs.toFixed(1)}) + rest`);
      await page.keyboard.press('Control+z');
      await page.waitForFunction(() => window.planner.widgets().includes('graph.add_ci_search'), null, { timeout: 60000 });
      await page.waitForFunction(() => window.planner.state().saveState === 'saved', null, { timeout: 60000 }).catch(() => {});
    }
    const med = (f) => median(rows.map(f));
    console.log(`select a CI -> its blast radius drawn, ${cmdb.cis}-CI / ${cmdb.relationships}-relationship CMDB, ${rows.length} CIs ` +
      `(one per type): main-thread CPU median ${med((r) => r.cpuMs).toFixed(1)} ms (budget 50); of it impact set median ` +
      `${med((r) => r.state.graph.impactMs).toFixed(2)} ms, layout median ${med((r) => r.state.graph.layoutMs).toFixed(1)} ms; ` +
      `wall median ${med((r) => r.ms).toFixed(0)} ms at 1280x720 with software WebGL`);
    if (errors.length) console.log(`page errors: ${errors.join('; ')}`);
  } finally {
    await closeContext(context);
    rmSync(dir, { recursive: true, force: true });
  }
}

const { server, url } = await serveBuild();
try {
  if (!canvasOnly) await demoFigures(url);
  await canvasFigures(url);
} finally {
  server.close();
}
