// A forged approval is refused in the app with its reason, and nothing of the
// bundle reaches the workspace. The bundle is made with the command-line tool:
// the author signs a change whose change.json claims "authorized" with an
// unsigned approval; a trusted change manager then signs an approval under
// another person's name. The planner, who trusts both keys under their real
// names, drops the bundle on the page.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ARTIFACTS, ROOT, clickAndWait as click, closeContext, fileMenu, launch, nextFrames, openPlanner,
  plannerState as state, serveBuild, test, typeInto,
} from './lib/browser.mjs';

const CLI = process.env.PLANNER_CLI || join(ROOT, 'build', 'native-debug', 'app', 'planner');

function cli(args, cwd) {
  return execFileSync(CLI, args, { cwd, encoding: 'utf8' });
}

// Trusts the public key file `pub` under `name` with `roles` ("" = author only).
async function trustKey(page, pub, name, roles) {
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), click(page, 'keys.trust.pick')]);
  await chooser.setFiles(pub);
  await page.waitForFunction(() => window.planner.widgets().includes('keys.trust.name'), null, { timeout: 10000 });
  await typeInto(page, 'keys.trust.name', name);
  if (roles) await typeInto(page, 'keys.trust.roles', roles);
  await nextFrames(page, 3);
  await click(page, 'keys.trust.add');
  await page.screenshot({ path: join(ARTIFACTS, `trust-${name.replace(/ /g, '-')}.png`) });
  // The key is trusted when the dialog offers to add another one.
  await page.waitForFunction(() => window.planner.widgets().includes('keys.trust.pick'), null, { timeout: 10000 });
}

test('a bundle with an approval signed under another name is refused with the reason, nothing imported', async () => {
  const work = mkdtempSync(join(tmpdir(), 'planner-forged-'));
  const { server, url } = await serveBuild();
  const context = await launch(null, { width: 1400, height: 900 });
  try {
    cli(['keygen', '-p', 'author.pub', '-s', 'author.key', '--no-passphrase', '--name', 'Ada Lovelace'], work);
    cli(['keygen', '-p', 'bob.pub', '-s', 'bob.key', '--no-passphrase', '--name', 'Bob Stone',
      '--roles', 'change_manager'], work);
    cli(['sign', '--change-file', join(ROOT, 'tests', 'data', 'export', 'change_sample.json'), '--secret', 'author.key',
      '--author', 'Ada Lovelace', '-o', 'bundle.zip'], work);
    const approved = JSON.parse(cli(['approve', 'bundle.zip', '-s', 'bob.key', '--role', 'change_manager',
      '--name', 'Carol King', '-o', 'forged.zip', '--json'], work));

    const { page, log } = await openPlanner(context, url);
    const before = (await state(page)).counts;

    await fileMenu(page, 'menu.file.keys');
    await trustKey(page, join(work, 'author.pub'), 'Ada Lovelace', '');
    await trustKey(page, join(work, 'bob.pub'), 'Bob Stone', 'change_manager');
    await click(page, 'dialog.close');

    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), fileMenu(page, 'menu.file.verify')
      .then(() => click(page, 'verify.open'))]);
    await chooser.setFiles(join(work, 'forged.zip'));
    await page.waitForFunction(() => window.planner.state().verify, null, { timeout: 30000 });
    await nextFrames(page, 4);
    const verdict = (await state(page)).verify;
    await page.screenshot({ path: join(ARTIFACTS, 'forged-bundle-refused.png') });

    assert.equal(verdict.bundle, 'forged.zip');
    assert.equal(verdict.importable, false, 'the forged bundle is refused');
    const reason = verdict.errors.find((e) => e.includes('(rule: identity)'));
    assert.ok(reason, `the refusal names the identity rule: ${JSON.stringify(verdict.errors)}`);
    assert.ok(reason.includes(approved.file), `it names the entry ${approved.file}: ${reason}`);
    assert.ok(reason.includes(approved.keyId), `it names the key ${approved.keyId}: ${reason}`);
    assert.ok(reason.includes('Carol King') && reason.includes('Bob Stone'), `it names both names: ${reason}`);
    const widgets = await page.evaluate(() => window.planner.widgets());
    assert.ok(widgets.includes('verify.errors'), 'the reasons are on screen');
    assert.ok(!widgets.includes('verify.plan') && !widgets.includes('verify.import'), 'no way to import it');
    assert.ok(!widgets.includes('approve.sign'), 'no way to approve it');
    await click(page, 'dialog.close');
    assert.deepEqual((await state(page)).counts, before, 'the workspace is unchanged');
    assert.equal(await page.evaluate(() => window.planner.integrityCheck()), 'ok');
    assert.deepEqual(log.errors, []);
  } finally {
    await closeContext(context);
    server.close();
    rmSync(work, { recursive: true, force: true });
  }
});
