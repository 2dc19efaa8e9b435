// Workspaces by clicking the Workspaces dialog: create an empty workspace and
// switch to it, back the demo up (download captured), restore the backup under
// a new name (file chooser), refuse a bad upload, rename, and delete with its
// confirmation. A new change created in the restored copy stays there.
import { test } from './lib/browser.mjs';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ROOT, clickAndWait, closeContext, fileMenu, launch, nextFrames, plannerState, serveBuild, typeInto, waitForFirstFrame,
  watch,
} from './lib/browser.mjs';

const state = plannerState;
const widgets = (page) => page.evaluate(() => window.planner.widgets());

const click = clickAndWait;
const openDialog = (page) => fileMenu(page, 'menu.file.workspaces');

test('workspaces are created, backed up, restored, renamed and deleted from the dialog', async () => {
  const work = mkdtempSync(join(tmpdir(), 'planner-ws-'));
  const { server, url } = await serveBuild();
  const context = await launch(null, { width: 1400, height: 900 });
  try {
    const page = await context.newPage();
    const log = watch(page);
    await page.goto(url);
    await waitForFirstFrame(page);
    await nextFrames(page, 4);
    const demo = await state(page);
    assert.ok(demo.counts.changes > 10);

    // Back up the demo.
    await openDialog(page);
    const [download] = await Promise.all([page.waitForEvent('download'), click(page, 'workspaces.backup')]);
    assert.match(download.suggestedFilename(), /^demo-backup-\d{8}\.zip$/);
    const backup = join(work, download.suggestedFilename());
    await download.saveAs(backup);

    // A bad upload is refused and creates nothing.
    const bogus = join(work, 'bogus.zip');
    writeFileSync(bogus, 'this is not a zip');
    await typeInto(page, 'workspaces.restore.name', 'broken');
    let [chooser] = await Promise.all([page.waitForEvent('filechooser'), click(page, 'workspaces.restore')]);
    await chooser.setFiles(bogus);
    await nextFrames(page, 6);
    assert.ok(!(await widgets(page)).some((w) => w === 'workspaces.open.broken'), 'no workspace from a bad file');
    assert.equal((await state(page)).workspaceId, 'demo');

    // Restore the real backup as "copy": it opens, with the demo's data.
    await typeInto(page, 'workspaces.restore.name', 'copy');
    [chooser] = await Promise.all([page.waitForEvent('filechooser'), click(page, 'workspaces.restore')]);
    await chooser.setFiles(backup);
    await page.waitForFunction(() => window.planner.state().workspaceId === 'copy', null, { timeout: 30000 });
    assert.equal((await state(page)).counts.changes, demo.counts.changes);

    // An empty workspace.
    await typeInto(page, 'workspaces.new.name', 'empty');
    await click(page, 'workspaces.new.create', 6);
    let s = await state(page);
    assert.equal(s.workspaceId, 'empty');
    assert.equal(s.counts.changes, 0);
    assert.equal(s.counts.cis, 0);

    // Fill it by dropping our CSV templates onto the page and importing them.
    await click(page, 'dialog.close');
    for (const name of ['cis.csv', 'relationships.csv']) {
      const text = readFileSync(join(ROOT, 'tests', 'data', 'cmdb', name), 'utf8');
      await page.evaluate(({ n, t }) => {
        const dt = new DataTransfer();
        dt.items.add(new File([t], n, { type: 'text/csv' }));
        document.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
      }, { n: name, t: text });
      await nextFrames(page, 4);
    }
    await page.waitForFunction(() => window.planner.widgets().includes('import.check'), null, { timeout: 10000 });
    await click(page, 'import.check', 4);
    await click(page, 'import.run', 8);
    s = await state(page);
    // cis.csv holds app1 and db1 (a quoted multi-line name), relationships.csv one edge.
    assert.equal(s.counts.cis, 2, 'the dropped CIs were imported');
    assert.equal(s.counts.relationships, 1, 'and their relationship');
    await click(page, 'dialog.close');

    // A calendar dropped onto the page adds its windows and freezes; a broken one adds nothing.
    const dropFile = (name, type) => page.evaluate(({ n, t, ty }) => {
      const dt = new DataTransfer();
      dt.items.add(new File([t], n, { type: ty }));
      document.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    }, { n: name, t: readFileSync(join(ROOT, 'tests', 'data', 'schedule', name), 'utf8'), ty: type });
    await dropFile('bad_rrule.ics', 'text/calendar');
    await nextFrames(page, 6);
    assert.equal((await state(page)).counts.windows, 0, 'a calendar with an error imports nothing');
    await dropFile('google_export.ics', 'text/calendar');
    await nextFrames(page, 6);
    assert.ok((await state(page)).counts.windows >= 1, 'the calendar\'s windows were imported');
    await openDialog(page);

    // Rename it, then delete it from "copy" after confirming.
    await click(page, 'workspaces.rename.empty', 3);
    await typeInto(page, 'workspaces.rename.name', 'scratch');
    await click(page, 'workspaces.rename.ok.empty', 6);
    assert.equal((await state(page)).workspaceId, 'scratch');
    await click(page, 'workspaces.open.copy', 6);
    assert.equal((await state(page)).workspaceId, 'copy');
    await click(page, 'workspaces.delete.scratch', 3);
    await click(page, 'workspaces.delete.confirm.scratch', 6);
    assert.ok(!(await widgets(page)).includes('workspaces.open.scratch'), 'the deleted workspace is gone');
    await click(page, 'dialog.close');

    // The open workspace is remembered across a reload.
    await page.waitForFunction(() => window.planner.state().saveState === 'saved', null, { timeout: 30000 });
    await page.reload();
    await waitForFirstFrame(page);
    await nextFrames(page, 4);
    assert.equal((await state(page)).workspaceId, 'copy');
    assert.deepEqual(log.errors, []);
  } finally {
    await closeContext(context);
    server.close();
    rmSync(work, { recursive: true, force: true });
  }
});
