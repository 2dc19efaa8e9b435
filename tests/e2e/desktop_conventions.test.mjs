// What users expect of a real app, by real keys and clicks: the system
// clipboard in text fields (copy out, paste in), Ctrl+F and Delete, settings
// that survive a reload, and a layout whose controls neither overlap nor fall
// off the window at 1280x720 and 1920x1080, in both themes.
import { test } from './lib/browser.mjs';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  ARTIFACTS, clickAndWait, clickWidget, closeContext, launch, nextFrames, plannerState, serveBuild, typeInto,
  waitForFirstFrame, watch,
} from './lib/browser.mjs';

const widgets = (page) => page.evaluate(() => window.planner.widgets());
const rowsShown = async (page) => (await widgets(page)).filter((w) => w.startsWith('changes.row.'));

async function open(context, url) {
  const page = await context.newPage();
  const log = watch(page);
  await page.goto(url);
  await waitForFirstFrame(page);
  await nextFrames(page, 4);
  return { page, log };
}

test('clipboard copy and paste, Ctrl+F and Delete work from the keyboard', async () => {
  const { server, url } = await serveBuild();
  const context = await launch(null);
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: url.replace(/\/$/, '') });
  try {
    const { page, log } = await open(context, url);
    const all = await rowsShown(page);
    assert.ok(all.length > 3);

    // Ctrl+F outside the graph focuses the change search: typing filters the list.
    await clickAndWait(page, 'tab.schedule', 4);
    await page.keyboard.press('Control+F');
    await nextFrames(page, 3);
    const wanted = all[2].slice('changes.row.'.length);
    await page.keyboard.type(wanted, { delay: 2 });
    await nextFrames(page, 3);
    assert.deepEqual(await rowsShown(page), [`changes.row.${wanted}`], 'Ctrl+F then typing searched the list');

    // Copy: the field's text reaches the system clipboard.
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Control+C');
    await nextFrames(page, 3);
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), wanted);

    // Paste: text put on the system clipboard arrives in the field.
    const other = all[0].slice('changes.row.'.length);
    await page.evaluate((t) => navigator.clipboard.writeText(t), other);
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Backspace');
    await nextFrames(page, 2);
    assert.equal((await rowsShown(page)).length, all.length, 'the cleared search shows every change');
    await page.keyboard.press('Control+V');
    await nextFrames(page, 4);
    assert.deepEqual(await rowsShown(page), [`changes.row.${other}`], 'the pasted id filtered the list');
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Escape');
    await nextFrames(page, 3);

    // On the graph, Ctrl+F finds a CI and selects it; Delete takes it out of
    // the change, Ctrl+Z puts it back.
    await clickAndWait(page, 'tab.graph', 4);
    const before = await plannerState(page);
    const ci = before.selectedAffectedCiIds[0];
    assert.ok(ci, 'the selected change has an affected CI');
    await page.keyboard.press('Control+F');
    await nextFrames(page, 3);
    await page.keyboard.type(ci, { delay: 2 });
    await page.keyboard.press('Enter');
    await nextFrames(page, 4);
    assert.equal((await plannerState(page)).selectedCi, ci, 'the search selected the CI');
    await page.keyboard.press('Escape');
    await nextFrames(page, 2);
    await page.keyboard.press('Delete');
    await nextFrames(page, 4);
    let s = await plannerState(page);
    assert.ok(!s.selectedAffectedCiIds.includes(ci), 'Delete removed the CI from the change');
    assert.equal(s.selectedAffectedCis, before.selectedAffectedCis - 1);
    await page.keyboard.press('Control+Z');
    await nextFrames(page, 4);
    assert.deepEqual((await plannerState(page)).selectedAffectedCiIds, before.selectedAffectedCiIds, 'undo restores it');

    // With no CI selected, Delete asks before deleting the change; Escape keeps it.
    await clickAndWait(page, 'tab.runbook', 4);
    await page.keyboard.press('Delete');
    await nextFrames(page, 4);
    assert.ok((await widgets(page)).includes('dialog.delete.confirm'), 'Delete asks first');
    await page.keyboard.press('Escape');
    await nextFrames(page, 4);
    s = await plannerState(page);
    assert.ok(!(await widgets(page)).includes('dialog.delete.confirm'));
    assert.equal(s.counts.changes, before.counts.changes, 'nothing was deleted');
    assert.deepEqual(log.errors, []);
  } finally {
    await closeContext(context);
    server.close();
  }
});

test('settings survive a reload and pick who you are from the workspace people', async () => {
  const { server, url } = await serveBuild();
  const context = await launch(null);
  try {
    let { page, log } = await open(context, url);
    await clickAndWait(page, 'menu.view', 3);
    await clickAndWait(page, 'menu.view.settings', 4);
    await clickAndWait(page, 'settings.theme.light', 3);
    await typeInto(page, 'settings.timezone', 'Mars/Olympus');
    assert.equal((await plannerState(page)).timeZone, 'UTC', 'an unknown zone is not taken');
    await typeInto(page, 'settings.timezone', 'Europe/Berlin');
    await clickAndWait(page, 'settings.person', 3);
    const people = (await widgets(page)).filter((w) => w.startsWith('settings.person.'));
    assert.ok(people.length >= 3, `the workspace people are offered: ${people}`);
    await clickAndWait(page, people[1], 3);
    const chosen = await plannerState(page);
    await clickAndWait(page, 'dialog.close', 4);
    assert.equal(chosen.theme, 'light');
    assert.equal(chosen.timeZone, 'Europe/Berlin');
    assert.equal(chosen.actingPerson, people[1].slice('settings.person.'.length));
    await page.waitForFunction(() => window.planner.state().saveState === 'saved', null, { timeout: 30000 });
    await page.close();

    ({ page, log } = await open(context, url));
    const s = await plannerState(page);
    assert.equal(s.theme, 'light');
    assert.equal(s.timeZone, 'Europe/Berlin');
    assert.equal(s.actingPerson, chosen.actingPerson);
    assert.equal(s.userName, chosen.userName);
    assert.deepEqual(log.errors, []);
  } finally {
    await closeContext(context);
    server.close();
  }
});

// Two rectangles overlap by more than a pixel each way.
const overlaps = (a, b) =>
  Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x) > 1 && Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y) > 1;

// The shell's own controls: menus, tabs, list and inspector controls, status bar.
const SHELL = /^(menu\.(file|edit|view|help)$|tab\.|changes\.(new|search|showFinished)$|inspector\.|status\.)/;

for (const size of [{ width: 1280, height: 720 }, { width: 1920, height: 1080 }]) {
  test(`no control overlaps another or leaves the window at ${size.width}x${size.height}`, async () => {
    const { server, url } = await serveBuild();
    const context = await launch(null, size);
    try {
      const { page, log } = await open(context, url);
      for (const theme of ['dark', 'light']) {
        if ((await plannerState(page)).theme !== theme) {
          await clickAndWait(page, 'menu.view', 3);
          await clickAndWait(page, `menu.view.${theme}`, 4);
        }
        for (const tab of ['graph', 'schedule', 'runbook', 'governance', 'dashboard']) {
          await clickAndWait(page, `tab.${tab}`, 4);
          const labels = (await widgets(page)).filter((l) => SHELL.test(l));
          assert.ok(labels.length >= 10, `shell controls recorded: ${labels}`);
          const rects = [];
          for (const label of labels) rects.push({ label, ...(await page.evaluate((l) => window.planner.widgetRect(l), label)) });
          for (const r of rects) {
            assert.ok(r.x >= 0 && r.y >= 0 && r.x + r.w <= size.width + 0.5 && r.y + r.h <= size.height + 0.5,
              `${r.label} lies inside the window (${JSON.stringify(r)})`);
            assert.ok(r.w >= 8 && r.h >= 8, `${r.label} is not squeezed to nothing (${JSON.stringify(r)})`);
          }
          for (let i = 0; i < rects.length; i++)
            for (let j = i + 1; j < rects.length; j++)
              assert.ok(!overlaps(rects[i], rects[j]), `${rects[i].label} overlaps ${rects[j].label} on ${tab}`);
          await page.screenshot({ path: join(ARTIFACTS, `layout-${size.width}x${size.height}-${theme}-${tab}.png`) });
        }
      }
      assert.deepEqual(log.errors, []);
    } finally {
      await closeContext(context);
      server.close();
    }
  });
}
