// Signed bundles end to end, in two browser profiles: the planner creates a
// signing key, exports the selected change as a signed bundle (the download is
// captured and verified with Debian's minisign and ssh-keygen, and with our
// CLI); the approver, in a fresh profile, trusts the planner's public key,
// drops the bundle onto the page, sees it verified and signs an approval,
// whose download verifies too.
import { test } from './lib/browser.mjs';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ARTIFACTS, ROOT, clickAndWait, closeContext, createSigningKey as createKey, guideScreenshot, launch, nextFrames, plannerState, serveBuild,
  fileMenu, typeInto, waitForFirstFrame, watch,
} from './lib/browser.mjs';

const state = plannerState;
const CLI = process.env.PLANNER_CLI || join(ROOT, 'build', 'native-debug', 'app', 'planner');

const click = clickAndWait;

function unzip(zipFile, dir) {
  execFileSync('python3', ['-m', 'zipfile', '-e', zipFile, dir]);
}

function minisignVerify(dir, sigFile, pubFile) {
  return execFileSync('minisign', ['-V', '-p', join(dir, pubFile), '-m', join(dir, 'SHA256SUMS'),
    '-x', join(dir, sigFile)], { encoding: 'utf8' });
}

test('a bundle exported in one profile verifies, is approved in another, and both verify on the command line', async () => {
  const work = mkdtempSync(join(tmpdir(), 'planner-bundle-'));
  const { server, url } = await serveBuild();
  const planner = await launch(null, { width: 1400, height: 900 });
  let approver = null;
  try {
    // ---- planner profile
    const page = await planner.newPage();
    const log = watch(page);
    await page.goto(url);
    await waitForFirstFrame(page);
    await nextFrames(page, 4);
    await createKey(page, 'planner passphrase');
    const [pub] = await Promise.all([page.waitForEvent('download'), click(page, 'keys.download_pub')]);
    const pubFile = join(work, 'planner.pub');
    await pub.saveAs(pubFile);
    await click(page, 'dialog.close');

    const changeId = (await state(page)).selectedChange;
    await fileMenu(page, 'menu.file.export');
    await typeInto(page, 'export.passphrase', 'planner passphrase');
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: 60000 }),
      click(page, 'export.sign', 4),
    ]);
    assert.equal(download.suggestedFilename(), `${changeId}.zip`);
    const bundleFile = join(work, `${changeId}.zip`);
    await download.saveAs(bundleFile);
    copyFileSync(bundleFile, join(ARTIFACTS, `${changeId}.zip`));
    await click(page, 'dialog.close');
    assert.deepEqual(log.errors, []);

    // Command line: minisign, ssh-keygen and our CLI accept the author's signatures.
    const out = join(work, 'bundle');
    unzip(bundleFile, out);
    assert.match(minisignVerify(out, 'SHA256SUMS.minisig', 'keys/author.pub'), /Signature and comment signature verified/);
    const principal = readFileSync(join(out, 'keys', 'allowed_signers'), 'utf8').split(' ')[0];
    execFileSync('ssh-keygen', ['-Y', 'verify', '-f', join(out, 'keys', 'allowed_signers'), '-I', principal,
      '-n', 'change-bundle@planner', '-s', join(out, 'SHA256SUMS.sig')], { input: readFileSync(join(out, 'SHA256SUMS')) });
    const trust = join(work, 'trust.txt');
    writeFileSync(trust, `${readFileSync(pubFile, 'utf8').trim().split('\n').pop()} * Planner\n`);
    if (existsSync(CLI)) {
      const report = JSON.parse(execFileSync(CLI, ['verify', bundleFile, '--trust', trust, '--json'], { encoding: 'utf8' }));
      assert.equal(report.importable, true);
    } else {
      assert.fail(`the CLI was not built at ${CLI}`);
    }

    // ---- approver profile
    approver = await launch(null, { width: 1400, height: 900 });
    const page2 = await approver.newPage();
    const log2 = watch(page2);
    await page2.goto(url);
    await waitForFirstFrame(page2);
    await nextFrames(page2, 4);
    // The approver is another person than the planner: separation of duties
    // refuses an approval from a key trusted under the author's name.
    const author = (await state(page)).actingPerson;
    await click(page2, 'menu.view', 3);
    await click(page2, 'menu.view.settings', 4);
    await click(page2, 'settings.person', 3);
    const people = (await page2.evaluate(() => window.planner.widgets())).filter((w) => w.startsWith('settings.person.'));
    const other = people.find((w) => w !== `settings.person.${author}`);
    assert.ok(other, `another person to act as: ${people}`);
    await click(page2, other, 3);
    await click(page2, 'dialog.close', 4);
    assert.notEqual((await state(page2)).actingPerson, author);
    await createKey(page2, 'approver passphrase');
    const [chooser] = await Promise.all([page2.waitForEvent('filechooser'), click(page2, 'keys.trust.pick')]);
    await chooser.setFiles(pubFile);
    await nextFrames(page2, 4);
    await typeInto(page2, 'keys.trust.name', 'Paula Alvarez');
    await click(page2, 'keys.trust.add');
    await click(page2, 'dialog.close');

    // Drop the bundle onto the page.
    const b64 = readFileSync(bundleFile).toString('base64');
    await page2.evaluate(({ name, data }) => {
      const bytes = Uint8Array.from(atob(data), (ch) => ch.charCodeAt(0));
      const dt = new DataTransfer();
      dt.items.add(new File([bytes], name, { type: 'application/zip' }));
      document.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    }, { name: `${changeId}.zip`, data: b64 });
    await page2.waitForFunction(() => window.planner.widgets().includes('verify.verdict'), null, { timeout: 30000 });
    await nextFrames(page2, 3);
    await guideScreenshot(page2, 'verify');
    assert.ok((await page2.evaluate(() => window.planner.widgets())).includes('verify.plan'),
      `a verified bundle offers the import: ${JSON.stringify((await state(page2)).verify)}`);

    await typeInto(page2, 'approve.role', 'cab_member');
    await typeInto(page2, 'approve.passphrase', 'approver passphrase');
    const [approval] = await Promise.all([
      page2.waitForEvent('download', { timeout: 60000 }),
      click(page2, 'approve.sign', 4),
    ]);
    const approvedFile = join(work, approval.suggestedFilename());
    await approval.saveAs(approvedFile);
    assert.match(approval.suggestedFilename(), /-approval-[0-9A-F]{16}\.zip$/i);
    assert.deepEqual(log2.errors, []);

    const out2 = join(work, 'approved');
    unzip(approvedFile, out2);
    const keyId = approval.suggestedFilename().match(/-approval-([0-9A-Fa-f]{16})\.zip$/)[1];
    // The first approval of the chain: approvals/0001-<KEYID>.minisig (docs/bundle-format.md, section 5).
    const approvalOutput = minisignVerify(out2, `approvals/0001-${keyId}.minisig`, `approvals/0001-${keyId}.pub`);
    assert.match(approvalOutput, /Signature and comment signature verified/);
    assert.match(approvalOutput, / seq=1 author-sig=[0-9a-f]{64} prev=none /);
    const signedName = decodeURIComponent(approvalOutput.match(/ name=(\S+)/)[1]);
    assert.match(minisignVerify(out2, 'SHA256SUMS.minisig', 'keys/author.pub'), /verified/,
      'the author signature still holds after the approval');
    // The receiving side trusts both keys, the approver's for the CAB role.
    // The approver's identity comes from the trust store: its name must be the signed one.
    const approverPub = readFileSync(join(out2, 'approvals', `0001-${keyId}.pub`), 'utf8').trim().split('\n').pop();
    const trust2 = join(work, 'trust2.txt');
    writeFileSync(trust2, `${readFileSync(trust, 'utf8')}${approverPub} cab_member ${signedName}\n`);
    const report2 = JSON.parse(execFileSync(CLI, ['verify', approvedFile, '--trust', trust2, '--json'], { encoding: 'utf8' }));
    assert.equal(report2.importable, true);
  } finally {
    if (approver) await closeContext(approver);
    await closeContext(planner);
    server.close();
    rmSync(work, { recursive: true, force: true });
  }
});
