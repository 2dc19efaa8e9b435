// Shared helpers for the browser tests: start Debian's chromium headless with
// software WebGL and no background networking, serve builds on loopback, and
// record every request, console error and page error.
import { test as nodeTest } from 'node:test';
import { chromium } from 'playwright-core';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '../../../scripts/serve.mjs';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const BUILD = process.env.PLANNER_WEB_BUILD || join(ROOT, 'build', 'web');
export const ARTIFACTS = process.env.PLANNER_ARTIFACTS || join(ROOT, 'tests', 'e2e', 'artifacts');
mkdirSync(ARTIFACTS, { recursive: true });

// Every browser test has a time limit (node --test applies --test-timeout to
// a whole file, not to each test): a test past it fails, the next one runs.
export const TEST_TIMEOUT_MS = Number(process.env.PLANNER_E2E_TEST_TIMEOUT_MS || 240000);

// node:test's test() with the time limit above unless the options give one.
// The name of the running test is written where the runner's watchdog reads
// it, since node --test reports a test only once it ends.
export function test(name, options, fn) {
  if (typeof options === 'function') { fn = options; options = {}; }
  const announced = (t) => {
    if (process.env.PLANNER_E2E_PIDS) writeFileSync(join(process.env.PLANNER_E2E_PIDS, `running-${process.pid}`), name);
    return fn(t);
  };
  return nodeTest(name, { timeout: TEST_TIMEOUT_MS, ...options }, announced);
}

export const CHROMIUM_ARGS = [
  '--headless=new', '--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run',
  '--disable-quic', '--disable-default-apps', '--disable-extensions', '--metrics-recording-only',
  '--disable-domain-reliability', '--no-pings',
];

// Process ids of this process's children that run Chromium.
function chromiumChildren() {
  const pids = [];
  for (const name of readdirSync('/proc')) {
    if (!/^[0-9]+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === process.pid && /chrom/.test(readFileSync(`/proc/${name}/cmdline`, 'utf8'))) pids.push(Number(name));
    } catch { /* the process ended meanwhile */ }
  }
  return pids;
}

// Every browser a test starts is recorded by process id in the folder the
// runner (tests/e2e/run.mjs) names, so its watchdog can kill what a hung test left.
function recordBrowser(pid) {
  const dir = process.env.PLANNER_E2E_PIDS;
  if (dir) writeFileSync(join(dir, `browser-${process.pid}-${pid}`), `${pid}\n`);
}

// Starts Chromium; the context carries the browser's process id as `pid`.
export async function launch(userDataDir, viewport = { width: 1280, height: 720 }, deviceScaleFactor = 1) {
  const options = { executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS, headless: true, viewport, deviceScaleFactor };
  const before = new Set(chromiumChildren());
  let context;
  if (userDataDir) {
    context = await chromium.launchPersistentContext(userDataDir, options);
  } else {
    const browser = await chromium.launch(options);
    context = await browser.newContext({ viewport, deviceScaleFactor });
    context.closeBrowser = () => browser.close();
  }
  const started = chromiumChildren().filter((pid) => !before.has(pid));
  if (started.length !== 1) throw new Error(`expected one new Chromium process, found ${started.length}`);
  context.pid = started[0];
  recordBrowser(context.pid);
  return context;
}

// True while process `pid` exists and is not a zombie.
export function processAlive(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

// Kills the browser of `context` with SIGKILL and waits until it is gone;
// throws when it survives.
export async function killBrowser(context, timeoutMs = 10000) {
  process.kill(context.pid, 'SIGKILL');
  const end = Date.now() + timeoutMs;
  while (processAlive(context.pid)) {
    if (Date.now() > end) throw new Error(`Chromium (pid ${context.pid}) is still alive ${timeoutMs} ms after SIGKILL`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function closeContext(context) {
  if (context.closeBrowser) await context.closeBrowser();
  else await context.close();
}

export async function serveBuild(dir = join(BUILD, 'web')) {
  const server = await serve(dir, 0);
  return { server, url: `http://127.0.0.1:${server.address().port}/` };
}

// Watches a page: console errors, uncaught exceptions and every request URL.
export function watch(page) {
  const log = { errors: [], requests: [] };
  page.on('console', (m) => { if (m.type() === 'error') log.errors.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => log.errors.push(`pageerror: ${e.message}`));
  page.on('request', (r) => log.requests.push(r.url()));
  return log;
}

// Opens `url` in a new page of `context`, watched, and waits until the
// workspace is shown and `frames` more frames have passed; returns { page, log }.
export async function openPlanner(context, url, frames = 4) {
  const page = await context.newPage();
  const log = watch(page);
  await page.goto(url);
  await waitForFirstFrame(page);
  await nextFrames(page, frames);
  return { page, log };
}

// Waits until the page shows its workspace (the frame after the first one,
// which is drawn before the workspace is opened).
export async function waitForFirstFrame(page, timeout = 30000) {
  await page.waitForFunction(() => window.planner && window.planner.workspaceShownMs !== null, null, { timeout });
}

// Pixel statistics of a PNG screenshot, computed in a blank page so the
// page under test is not touched: returns { mean, variance } of luminance.
export async function pixelStats(context, png) {
  const page = await context.newPage();
  const stats = await page.evaluate(async (b64) => {
    const img = new Image();
    img.src = 'data:image/png;base64,' + b64;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = img.width; c.height = img.height;
    const g = c.getContext('2d');
    g.drawImage(img, 0, 0);
    const d = g.getImageData(0, 0, c.width, c.height).data;
    let sum = 0, sum2 = 0, n = 0;
    for (let i = 0; i < d.length; i += 16) {
      const l = 0.2126 * d[i] + 0.7152 * d[i + 1] + 0.0722 * d[i + 2];
      sum += l; sum2 += l * l; n++;
    }
    const mean = sum / n;
    return { mean, variance: sum2 / n - mean * mean };
  }, png.toString('base64'));
  await page.close();
  return stats;
}

// Scrolls the panel under widget `over` with the mouse wheel until widget
// `label` is on screen (panels record only what is visible); returns its rect.
export async function revealWidget(page, label, over = 'canvas') {
  const rectOf = (l) => page.evaluate((x) => window.planner.widgetRect(x), l);
  for (const direction of [1, -1]) {
    for (let i = 0; i < 25; i += 1) {
      const r = await rectOf(label);
      if (r && r.h > 4) return r;
      const area = await rectOf(over);
      if (!area) throw new Error(`scroll area "${over}" is not on screen`);
      await page.mouse.move(area.x + area.w / 2, area.y + area.h / 2);
      await page.mouse.wheel(0, 160 * direction);
      await nextFrames(page, 2);
    }
  }
  throw new Error(`widget "${label}" never came into view under "${over}"`);
}

// Clicks the centre of a labelled widget through the real mouse input path,
// once it has stayed in one place for a frame: a window that has just opened
// is measured, hidden for a frame and placed before its widgets settle.
export async function clickWidget(page, label, options = {}) {
  const rectOf = () => page.evaluate((l) => window.planner.widgetRect(l), label);
  const same = (a, b) => a && b && a.x === b.x && a.y === b.y && a.w === b.w && a.h === b.h;
  const deadline = Date.now() + 5000;
  let r = await rectOf();
  for (;;) {
    if (r) {
      await nextFrames(page, 1);
      const settled = await rectOf();
      if (same(r, settled)) break;
      r = settled;
    } else {
      if (Date.now() > deadline) break;
      await nextFrames(page, 1);
      r = await rectOf();
    }
    if (Date.now() > deadline) break;
  }
  if (!r) throw new Error(`widget "${label}" is not on screen; known: ${(await page.evaluate(() => window.planner.widgets())).join(', ')}`);
  await page.mouse.click(r.x + r.w / 2, r.y + r.h / 2, options);
  return r;
}

// Lets `n` frames pass, and at least one more after the page's input queue is
// empty: typing is queued faster than the UI takes it (a key change a frame).
export async function nextFrames(page, n = 3) {
  const start = await page.evaluate(() => {
    window.planner.drainedAt = undefined;
    return window.planner.state().frames;
  });
  await page.waitForFunction((s) => {
    const p = window.planner;
    const frames = p.state().frames;
    if (p.inputPending() > 0) { p.drainedAt = undefined; return false; }
    if (p.drainedAt === undefined) p.drainedAt = frames;
    return frames >= s && frames > p.drainedAt;
  }, start + n);
}

// Clicks a labelled widget and lets `frames` frames pass.
export async function clickAndWait(page, label, frames = 4) {
  await clickWidget(page, label);
  await nextFrames(page, frames);
}

// Focuses a text field by clicking it, replaces its text by typing.
export async function typeInto(page, label, text) {
  await clickAndWait(page, label, 2);
  await page.keyboard.press('Control+A');
  await page.keyboard.type(text, { delay: 2 });
  await nextFrames(page, 3);
}

// Opens File > `item`.
export async function fileMenu(page, item) {
  await clickAndWait(page, 'menu.file', 3);
  await clickAndWait(page, item, 4);
}

// File > Keys: creates the workspace's signing key with `passphrase`.
export async function createSigningKey(page, passphrase) {
  await fileMenu(page, 'menu.file.keys');
  await typeInto(page, 'keys.passphrase', passphrase);
  await typeInto(page, 'keys.passphrase2', passphrase);
  await clickAndWait(page, 'keys.create', 6);
  // Argon2id runs in the click's frame; wait until the key shows up.
  await page.waitForFunction(() => window.planner.widgets().includes('keys.download_pub'), null, { timeout: 30000 });
}

// The state JSON of the page (window.planner.state()).
export const plannerState = (page) => page.evaluate(() => window.planner.state());

// A screenshot for the user guide: saved as an artifact; copied to
// docs/screenshots/<name>.png only when PLANNER_UPDATE_SCREENSHOTS=1
// (scripts/test --update-screenshots), so a test run leaves tracked files alone.
export async function guideScreenshot(page, name) {
  const file = join(ARTIFACTS, `${name}.png`);
  const png = await page.screenshot({ path: file });
  if (process.env.PLANNER_UPDATE_SCREENSHOTS === '1') copyFileSync(file, join(ROOT, 'docs', 'screenshots', `${name}.png`));
  return png;
}
