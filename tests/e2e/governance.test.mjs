// Governance and dashboard on the demo workspace, by real clicks: the risk
// questionnaire is answered, the change is submitted and assessed, the
// authorize button stays disabled (with its reason) until the required
// approvals are recorded, and the dashboard draws the workspace's history.
import { test } from './lib/browser.mjs';
import assert from 'node:assert/strict';
import {
  clickAndWait, closeContext, guideScreenshot as shot, launch, nextFrames, pixelStats, plannerState as state,
  revealWidget, serveBuild, waitForFirstFrame, watch,
} from './lib/browser.mjs';

const labels = (page) => page.evaluate(() => window.planner.widgets());

// Widgets of the governance panel may sit below its fold: scroll them into view first.
async function click(page, label, frames = 4) {
  if (!label.startsWith('tab.')) await revealWidget(page, label);
  await clickAndWait(page, label, frames);
}

test('risk, lifecycle and approvals are driven from the governance tab', async () => {
  const { server, url } = await serveBuild();
  const context = await launch(null, { width: 1600, height: 1000 });
  try {
    const page = await context.newPage();
    const log = watch(page);
    await page.goto(url);
    await waitForFirstFrame(page);
    await nextFrames(page, 4);
    await click(page, 'tab.governance');
    let s = await state(page);
    assert.equal(s.tab, 'governance');
    assert.equal(s.selectedState, 'draft');
    assert.ok(['low', 'moderate', 'high', 'very_high'].includes(s.selectedRisk), `risk shown: ${s.selectedRisk}`);
    assert.equal(s.selectedAnswers, 0);

    // Assessing needs the questionnaire: answer every question through its combo.
    await click(page, 'gov.action.submit');
    assert.equal((await state(page)).selectedState, 'submitted');
    const questions = (await state(page)).riskQuestions.map((q) => `gov.answer.${q}`);
    assert.ok(questions.length >= 3, `questions found: ${questions}`);
    for (const q of questions) {
      await click(page, q, 3);
      const answers = (await labels(page)).filter((l) => l.startsWith(`${q}.`));
      assert.ok(answers.length >= 2, `answers of ${q}: ${answers}`);
      await click(page, answers[answers.length - 1], 3);
    }
    s = await state(page);
    assert.equal(s.selectedAnswers, questions.length, 'every answer was recorded');
    await click(page, 'gov.action.assess');
    assert.equal((await state(page)).selectedState, 'assessed');

    // Authorize is refused while approvals are pending; clicking it changes nothing.
    await click(page, 'gov.action.authorize');
    assert.equal((await state(page)).selectedState, 'assessed');
    await shot(page, 'governance');

    // Record every pending approval by hand, then authorize.
    const used = new Set();
    for (let round = 0; round < 12; round += 1) {
      const pending = (await state(page)).pendingApprovals;
      if (pending.length === 0) break;
      const combos = [`gov.approval.record.${pending[0]}`];
      await click(page, combos[0], 3);
      const approve = (await labels(page)).find(
        (l) => l.startsWith(`${combos[0]}.`) && l.endsWith('.approve') && !used.has(l));
      used.add(approve);
      assert.ok(approve, `an approver is offered for ${combos[0]}`);
      await click(page, approve, 3);
    }
    assert.deepEqual((await state(page)).pendingApprovals, [], 'every requirement is satisfied');
    assert.ok((await state(page)).allowedActions.includes('authorize'));
    await click(page, 'gov.action.authorize');
    assert.equal((await state(page)).selectedState, 'authorized');

    // Undo walks the lifecycle back.
    await page.keyboard.press('Control+z');
    await nextFrames(page, 4);
    assert.equal((await state(page)).selectedState, 'assessed');

    await click(page, 'tab.dashboard');
    assert.equal((await state(page)).tab, 'dashboard');
    const all = await labels(page);
    assert.ok(all.includes('dash.chart.weekly') && all.includes('dash.chart.trend'), 'both charts drawn');
    const png = await shot(page, 'dashboard');
    const stats = await pixelStats(context, png);
    assert.ok(stats.variance > 100, `the dashboard is not blank (variance ${stats.variance})`);
    assert.deepEqual(log.errors, []);
  } finally {
    await closeContext(context);
    server.close();
  }
});
