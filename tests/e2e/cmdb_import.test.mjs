// A large CMDB import through the import dialog: files dropped onto the page,
// the import runs in slices while the page keeps drawing (progress bar with
// the phase), Cancel rolls everything back, and a second run commits it.
import { test } from './lib/browser.mjs';
import assert from 'node:assert/strict';
import {
  clickAndWait, clickWidget, closeContext, guideScreenshot, launch, nextFrames, plannerState, serveBuild,
  waitForFirstFrame, watch,
} from './lib/browser.mjs';

const CIS = 40000;

// A tree of CIs (each depends on its parent) in our CSV templates.
function bulkCsv() {
  const cis = ['id,name,type,owner,team,tier,environment,location,tags'];
  const rels = ['from,to,type'];
  for (let i = 0; i < CIS; i++) {
    cis.push(`bulk-${i},Bulk host ${i},server,ops,Platform,${1 + (i % 3)},production,DC-${i % 4},bulk`);
    if (i > 0) rels.push(`bulk-${i},bulk-${Math.floor(i / 2)},depends_on`);
    if (i > 2) rels.push(`bulk-${i},bulk-${i % 3},runs_on`);
  }
  return { cis: cis.join('\n') + '\n', rels: rels.join('\n') + '\n', relCount: rels.length - 1 };
}

async function dropFiles(page, files) {
  await page.evaluate((list) => {
    const dt = new DataTransfer();
    for (const f of list) dt.items.add(new File([f.text], f.name, { type: 'text/csv' }));
    document.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, files);
}

test('a large import shows its progress, can be cancelled without a trace, and then goes through', async () => {
  const { server, url } = await serveBuild();
  const context = await launch(null);
  try {
    const page = await context.newPage();
    const log = watch(page);
    await page.goto(url);
    await waitForFirstFrame(page);
    await page.waitForFunction(() => window.planner.state().saveState === 'saved', null, { timeout: 30000 });
    const before = await plannerState(page);
    const csv = bulkCsv();
    await dropFiles(page, [{ name: 'bulk_cis.csv', text: csv.cis }, { name: 'bulk_relationships.csv', text: csv.rels }]);
    await page.waitForFunction(() => window.planner.widgets().includes('import.run'), null, { timeout: 10000 });

    // Start, and watch it work while the page keeps drawing.
    await clickWidget(page, 'import.run');
    await page.waitForFunction(() => {
      const i = window.planner.state().import;
      return i.running && i.phase.startsWith('Writing rows');
    }, null, { timeout: 60000 });
    const writing = await plannerState(page);
    await nextFrames(page, 5);
    const later = await plannerState(page);
    assert.ok(later.frames >= writing.frames + 5, 'frames keep coming while the import runs');
    assert.ok(later.import.running, 'five frames later it is still running: it works in slices');
    assert.ok(later.import.fraction >= writing.import.fraction, 'progress does not go backwards');
    assert.ok(later.import.fraction > 0.3 && later.import.fraction < 1, `progress ${later.import.fraction}`);
    assert.notEqual(later.saveState, 'saving', 'nothing is saved halfway through');
    await guideScreenshot(page, 'import');

    // Cancel: nothing of it remains.
    await clickAndWait(page, 'import.cancel', 4);
    await page.waitForFunction(() => !window.planner.state().import.running, null, { timeout: 10000 });
    let s = await plannerState(page);
    assert.match(s.import.message, /cancelled; nothing was changed/);
    assert.equal(s.counts.cis, before.counts.cis);
    assert.equal(s.counts.relationships, before.counts.relationships);
    assert.equal(await page.evaluate(() => window.planner.integrityCheck()), 'ok');

    // The files are still listed: run it again to the end.
    await clickWidget(page, 'import.run');
    await page.waitForFunction(() => {
      const st = window.planner.state();
      return !st.import.running && st.import.message.startsWith('Imported');
    }, null, { timeout: 120000 });
    s = await plannerState(page);
    assert.match(s.import.message, new RegExp(`Imported ${CIS} CIs and ${csv.relCount} relationships`));
    assert.equal(s.counts.cis, before.counts.cis + CIS, 'merged next to the demo CMDB');
    assert.equal(s.counts.relationships, before.counts.relationships + csv.relCount);
    assert.equal(await page.evaluate(() => window.planner.integrityCheck()), 'ok');
    await page.waitForFunction(() => window.planner.state().saveState === 'saved', null, { timeout: 60000 });
    assert.deepEqual(log.errors, []);
  } finally {
    await closeContext(context);
    server.close();
  }
});
