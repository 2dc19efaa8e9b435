// The planner's journey on a first run, by clicks and keys only: the demo is
// there; a new change is created; an affected CI is added by search and the
// blast radius appears; three runbook steps get rollback actions; the
// assistant proposes a window and it is accepted; risk and required approvals
// appear; the signed bundle downloads and verifies with minisign and our CLI.
import { test } from './lib/browser.mjs';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ARTIFACTS, ROOT, clickAndWait as click, closeContext, createSigningKey, fileMenu, launch, nextFrames, plannerState as state,
  revealWidget, serveBuild, typeInto, waitForFirstFrame, watch,
} from './lib/browser.mjs';

const CLI = process.env.PLANNER_CLI || join(ROOT, 'build', 'native-debug', 'app', 'planner');
const widgets = (page) => page.evaluate(() => window.planner.widgets());

test('planner journey: from a new change to a verified signed bundle', async () => {
  const work = mkdtempSync(join(tmpdir(), 'planner-journey-'));
  const { server, url } = await serveBuild();
  const context = await launch(null, { width: 1440, height: 900 });
  try {
    const page = await context.newPage();
    const log = watch(page);
    await page.goto(url);
    await waitForFirstFrame(page);
    await nextFrames(page, 4);
    const demo = await state(page);
    assert.ok(demo.counts.changes >= 12 && demo.counts.cis >= 200, 'the demo workspace is there on first run');

    // A new change.
    await click(page, 'changes.new');
    await typeInto(page, 'dialog.new.title', 'Upgrade payments gateway TLS library');
    await click(page, 'dialog.new.create', 6);
    let s = await state(page);
    assert.equal(s.selectedTitle, 'Upgrade payments gateway TLS library');
    assert.equal(s.selectedState, 'draft');
    assert.equal(s.tab, 'graph', 'the graph opens to name the affected CIs');

    // Add an affected CI by search: the blast radius appears.
    if (!(await widgets(page)).includes('graph.add_ci_search')) await click(page, 'graph.add_ci_open', 3);
    await typeInto(page, 'graph.add_ci_search', 'pay');
    await nextFrames(page, 3);
    const found = (await widgets(page)).filter((w) => w.startsWith('graph.add_ci.'));
    assert.ok(found.length > 0, 'the search finds CIs');
    await click(page, found[0], 6);
    s = await state(page);
    assert.equal(s.selectedAffectedCis, 1);
    assert.ok(s.selectedImpactCount > 1, `the blast radius reaches beyond the CI (${s.selectedImpactCount})`);
    await page.keyboard.press('Escape');
    await nextFrames(page, 2);
    await page.screenshot({ path: join(ARTIFACTS, 'journey-graph.png') });

    // Three steps, each with a rollback action.
    await click(page, 'tab.runbook');
    for (let i = 0; i < 3; i += 1) await click(page, 'runbook.add_step', 4);
    s = await state(page);
    assert.equal(s.selectedStepIds.length, 3);
    for (const [i, id] of s.selectedStepIds.entries()) {
      await revealWidget(page, `runbook.row.${id}.rollback`);
      await typeInto(page, `runbook.row.${id}.rollback`, `Undo step ${i + 1}`);
      await page.keyboard.press('Enter');
      await nextFrames(page, 3);
    }
    assert.equal((await state(page)).selectedStepsWithRollback, 3, 'every step has its rollback');

    // The assistant proposes a window; the first proposal is accepted.
    await click(page, 'tab.schedule');
    await click(page, 'schedule.propose', 6);
    await click(page, 'schedule.accept.0', 6);
    assert.notEqual((await state(page)).selectedPlannedStart, 0, 'the change is planned');

    // Risk and required approvals.
    await click(page, 'tab.governance');
    s = await state(page);
    assert.ok(s.selectedRisk, 'risk is assessed');
    assert.ok(s.pendingApprovals.length >= 1, 'required approvals are listed');
    await page.screenshot({ path: join(ARTIFACTS, 'journey-governance.png') });

    // Export the signed bundle and verify it on the command line.
    await createSigningKey(page, 'journey passphrase');
    const [pub] = await Promise.all([page.waitForEvent('download'), click(page, 'keys.download_pub')]);
    const pubFile = join(work, 'planner.pub');
    await pub.saveAs(pubFile);
    await click(page, 'dialog.close');
    await fileMenu(page, 'menu.file.export');
    await typeInto(page, 'export.passphrase', 'journey passphrase');
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60000 }), click(page, 'export.sign')]);
    const bundle = join(work, download.suggestedFilename());
    await download.saveAs(bundle);
    assert.equal(download.suggestedFilename(), `${s.selectedChange}.zip`);
    assert.deepEqual(log.errors, []);

    const out = join(work, 'unpacked');
    execFileSync('python3', ['-m', 'zipfile', '-e', bundle, out]);
    const minisign = execFileSync('minisign', ['-V', '-p', join(out, 'keys', 'author.pub'), '-m', join(out, 'SHA256SUMS'),
      '-x', join(out, 'SHA256SUMS.minisig')], { encoding: 'utf8' });
    assert.match(minisign, /Signature and comment signature verified/);
    assert.ok(existsSync(CLI), `the CLI was built at ${CLI}`);
    const report = JSON.parse(execFileSync(CLI, ['verify', bundle, '--trusted-key', pubFile, '--json'], { encoding: 'utf8' }));
    assert.equal(report.importable, true);
    assert.equal(report.changeId, s.selectedChange);
  } finally {
    await closeContext(context);
    server.close();
    rmSync(work, { recursive: true, force: true });
  }
});
