// The first screen in a real browser: hosted build over loopback HTTP and the
// single-file build from file://. Fails on any console error or uncaught
// exception, a blank canvas, or a request that leaves the page's origin.
import { test } from './lib/browser.mjs';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  ARTIFACTS, BUILD, clickWidget, closeContext, launch, nextFrames, openPlanner, pixelStats, serveBuild, waitForFirstFrame,
  watch,
} from './lib/browser.mjs';

test('hosted build renders its first frame with no error and no foreign request', async () => {
  const { server, url } = await serveBuild();
  const context = await launch(null);
  try {
    const page = await context.newPage();
    const log = watch(page);
    await page.goto(url);
    await waitForFirstFrame(page);
    await nextFrames(page, 5);
    const png = await page.screenshot({ path: join(ARTIFACTS, 'first-frame-hosted.png') });
    const stats = await pixelStats(context, png);
    assert.ok(stats.variance > 100, `canvas looks blank (luminance variance ${stats.variance.toFixed(1)})`);
    const state = await page.evaluate(() => window.planner.state());
    assert.equal(state.workspace, 'Demo: Acme Retail');
    assert.ok(state.counts.changes >= 10, 'the demo workspace has its changes');
    assert.deepEqual(log.errors, []);
    const origin = new URL(url).origin;
    const foreign = log.requests.filter((r) => new URL(r).origin !== origin);
    assert.deepEqual(foreign, [], 'requests left the page origin');
    const csp = await page.evaluate(() => document.querySelector('meta[http-equiv="Content-Security-Policy"]').content);
    assert.match(csp, /connect-src 'self'/);
    assert.doesNotMatch(csp, / 'unsafe-eval'/);
  } finally {
    await closeContext(context);
    server.close();
  }
});

test('an idle page paints nothing; a click paints again', async () => {
  const { server, url } = await serveBuild();
  const context = await launch(null);
  try {
    const { page, log } = await openPlanner(context, url, 10);
    // The status bar's frame time refreshes once a second: allow that one.
    const painted = () => page.evaluate(() => window.planner.framesPainted());
    const frames = async () => (await page.evaluate(() => window.planner.state())).frames;
    const p0 = await painted();
    const f0 = await frames();
    await new Promise((r) => setTimeout(r, 2500));
    const idleFrames = (await frames()) - f0;
    const idlePainted = (await painted()) - p0;
    assert.ok(idleFrames >= 20, `the main loop keeps running (${idleFrames} frames)`);
    assert.ok(idlePainted <= 4, `${idlePainted} of ${idleFrames} idle frames were painted`);
    const p1 = await painted();
    await clickWidget(page, 'tab.schedule');
    await nextFrames(page, 4);
    assert.equal((await page.evaluate(() => window.planner.state())).tab, 'schedule');
    assert.ok((await painted()) > p1, 'the click was painted');
    assert.deepEqual(log.errors, []);
  } finally {
    await closeContext(context);
    server.close();
  }
});

test('hosted build opens offline after the first visit (service worker)', async () => {
  const { server, url } = await serveBuild();
  const profile = mkdtempSync(join(tmpdir(), 'planner-sw-'));
  const context = await launch(profile);
  try {
    const page = await context.newPage();
    await page.goto(url);
    await waitForFirstFrame(page);
    await page.waitForFunction(async () => {
      const reg = await navigator.serviceWorker.getRegistration();
      if (!reg || !reg.active) return false;
      const keys = await caches.keys();
      if (!keys.length) return false;
      const cached = await (await caches.open(keys[0])).keys();
      return cached.length >= 8;
    }, null, { timeout: 30000, polling: 250 });
    server.close();
    await context.setOffline(true);
    const log = watch(page);
    await page.reload();
    await waitForFirstFrame(page);
    assert.deepEqual(log.errors, []);
    const state = await page.evaluate(() => window.planner.state());
    assert.equal(state.workspace, 'Demo: Acme Retail');
  } finally {
    await closeContext(context);
    server.close();
    rmSync(profile, { recursive: true, force: true });
  }
});

test('single-file build works from file:// and makes no request at all', async () => {
  const file = join(BUILD, 'single', 'change-planner.html');
  assert.ok(existsSync(file), `${file} was not built`);
  const context = await launch(null);
  try {
    const page = await context.newPage();
    const log = watch(page);
    const url = pathToFileURL(file).href;
    await page.goto(url);
    await waitForFirstFrame(page);
    await nextFrames(page, 5);
    const png = await page.screenshot({ path: join(ARTIFACTS, 'first-frame-single-file.png') });
    const stats = await pixelStats(context, png);
    assert.ok(stats.variance > 100, `canvas looks blank (luminance variance ${stats.variance.toFixed(1)})`);
    assert.deepEqual(log.errors, []);
    assert.deepEqual(log.requests.filter((r) => r !== url), [], 'the single file made requests');
    const csp = await page.evaluate(() => document.querySelector('meta[http-equiv="Content-Security-Policy"]').content);
    assert.match(csp, /connect-src 'none'/);
  } finally {
    await closeContext(context);
  }
});

test('theme switch through the View menu and the About box, by real clicks', async () => {
  const { server, url } = await serveBuild();
  const context = await launch(null);
  try {
    const page = await context.newPage();
    const log = watch(page);
    await page.goto(url);
    await waitForFirstFrame(page);
    await nextFrames(page, 2);
    assert.equal((await page.evaluate(() => window.planner.state())).theme, 'dark');
    await clickWidget(page, 'menu.view');
    await nextFrames(page, 2);
    await clickWidget(page, 'menu.view.light');
    await nextFrames(page, 3);
    assert.equal((await page.evaluate(() => window.planner.state())).theme, 'light');
    await page.screenshot({ path: join(ARTIFACTS, 'theme-light.png') });
    await clickWidget(page, 'menu.help');
    await nextFrames(page, 2);
    await clickWidget(page, 'menu.help.about');
    await nextFrames(page, 3);
    assert.ok(await page.evaluate(() => window.planner.widgetRect('dialog.about')), 'About box is open');
    await page.screenshot({ path: join(ARTIFACTS, 'about.png') });
    await clickWidget(page, 'dialog.about.close');
    await nextFrames(page, 3);
    assert.equal(await page.evaluate(() => window.planner.widgetRect('dialog.about')), null, 'About box closed');
    assert.deepEqual(log.errors, []);
  } finally {
    await closeContext(context);
    server.close();
  }
});

test('HiDPI: the canvas backing store follows devicePixelRatio and the window size', async () => {
  const { server, url } = await serveBuild();
  const context = await launch(null, { width: 1280, height: 720 }, 2);
  try {
    const page = await context.newPage();
    await page.goto(url);
    await waitForFirstFrame(page);
    await nextFrames(page, 2);
    const size = await page.evaluate(() => [document.getElementById('canvas').width, document.getElementById('canvas').height]);
    assert.deepEqual(size, [2560, 1440]);
    await page.screenshot({ path: join(ARTIFACTS, 'hidpi-2x.png') });
    await page.setViewportSize({ width: 1440, height: 900 });
    await nextFrames(page, 3);
    const resized = await page.evaluate(() => [document.getElementById('canvas').width, document.getElementById('canvas').height]);
    assert.deepEqual(resized, [2880, 1800]);
    const r = await page.evaluate(() => window.planner.widgetRect('status.save'));
    assert.ok(r && r.y + r.h <= 900, 'status bar is inside the window after resizing');
  } finally {
    await closeContext(context);
    server.close();
  }
});
