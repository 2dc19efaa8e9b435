// The three canvas views on the demo workspace, driven by real clicks: the
// graph, the schedule (the next-free-slot assistant proposes a window and a
// click accepts it) and the runbook editor (a step is added). Screenshots go
// to the artifacts folder (and to docs/screenshots with --update-screenshots).
import { test } from './lib/browser.mjs';
import assert from 'node:assert/strict';
import {
  clickWidget, closeContext, guideScreenshot as shot, launch, nextFrames, plannerState as state, serveBuild,
  waitForFirstFrame, watch,
} from './lib/browser.mjs';

test('graph, schedule and runbook views work by clicking them', async () => {
  const { server, url } = await serveBuild();
  const context = await launch(null);
  try {
    const page = await context.newPage();
    const log = watch(page);
    await page.goto(url);
    await waitForFirstFrame(page);
    await nextFrames(page, 4);
    assert.equal((await state(page)).tab, 'graph');
    await shot(page, 'graph');

    await clickWidget(page, 'tab.schedule');
    await nextFrames(page, 4);
    assert.equal((await state(page)).tab, 'schedule');
    const before = (await state(page)).selectedPlannedStart;
    await clickWidget(page, 'schedule.propose');
    await nextFrames(page, 4);
    await shot(page, 'schedule');
    await clickWidget(page, 'schedule.accept.0');
    await nextFrames(page, 4);
    const after = await state(page);
    assert.notEqual(after.selectedPlannedStart, before, 'accepting a proposal moves the change');
    assert.equal(after.canUndo, true);

    await page.reload();
    await waitForFirstFrame(page);
    await nextFrames(page, 4);
    await clickWidget(page, 'tab.runbook');
    await nextFrames(page, 4);
    assert.equal((await state(page)).tab, 'runbook');
    const steps = (await state(page)).selectedSteps;
    await clickWidget(page, 'runbook.add_step');
    await nextFrames(page, 4);
    assert.equal((await state(page)).selectedSteps, steps + 1, 'a step was added');
    await shot(page, 'runbook');
    assert.deepEqual(log.errors, []);
  } finally {
    await closeContext(context);
    server.close();
  }
});
