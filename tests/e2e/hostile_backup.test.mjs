// Hostile backups, restored through the Workspaces dialog: a backup whose
// database carries an extra trigger (it would add a trusted signer on every
// save) and drops the audit trail's append-only trigger, rebuilt with the
// sqlite3 shell and zipped again by Python's zipfile; and a zip whose local
// header names another file than its central directory. Each is refused with a
// sentence naming what is wrong, creates no workspace, and leaves the open
// workspace's counts, audit rows and integrity exactly as they were.
import { test } from './lib/browser.mjs';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ARTIFACTS, clickAndWait, closeContext, fileMenu, launch, nextFrames, plannerState, serveBuild, typeInto,
  waitForFirstFrame, watch,
} from './lib/browser.mjs';

const click = clickAndWait;

// Runs a declared tool; a missing one fails the test naming its Debian package.
function tool(program, args, pkg, options = {}) {
  try {
    return execFileSync(program, args, { encoding: 'utf8', ...options });
  } catch (e) {
    if (e.code === 'ENOENT') throw new Error(`${program} is missing: install the Debian package ${pkg}`);
    throw e;
  }
}

const repack = `
import sys, zipfile
src, dst, db = sys.argv[1], sys.argv[2], sys.argv[3]
with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, 'w', zipfile.ZIP_DEFLATED) as zout:
    for info in zin.infolist():
        data = open(db, 'rb').read() if info.filename == 'workspace.planner.db' else zin.read(info.filename)
        zout.writestr(info.filename, data)
`;

async function restore(page, file, name) {
  const previous = (await plannerState(page)).workspaceDialog.message;
  await typeInto(page, 'workspaces.restore.name', name);
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), click(page, 'workspaces.restore')]);
  await chooser.setFiles(file);
  await page.waitForFunction((p) => {
    const m = window.planner.state().workspaceDialog.message;
    return m !== '' && m !== p;
  }, previous, { timeout: 30000 });
  await nextFrames(page, 3);
  return (await plannerState(page)).workspaceDialog;
}

test('a hostile backup is refused with a clear sentence and the open workspace stays as it was', async () => {
  const work = mkdtempSync(join(tmpdir(), 'planner-hostile-'));
  const { server, url } = await serveBuild();
  const context = await launch(null, { width: 1400, height: 900 });
  try {
    const page = await context.newPage();
    const log = watch(page);
    await page.goto(url);
    await waitForFirstFrame(page);
    await page.waitForFunction(() => window.planner.state().saveState === 'saved', null, { timeout: 30000 });

    await fileMenu(page, 'menu.file.workspaces');
    const [download] = await Promise.all([page.waitForEvent('download'), click(page, 'workspaces.backup')]);
    const backup = join(work, 'demo-backup.zip');
    await download.saveAs(backup);
    await nextFrames(page, 3);
    const before = await plannerState(page);
    const integrityBefore = await page.evaluate(() => window.planner.integrityCheck());
    assert.equal(integrityBefore, 'ok');

    // 1. A trigger of the file's own, and the append-only trigger gone.
    const db = join(work, 'workspace.planner.db');
    tool('python3', ['-c', 'import sys, zipfile; open(sys.argv[2], "wb").write(zipfile.ZipFile(sys.argv[1]).read("workspace.planner.db"))',
      backup, db], 'python3');
    tool('sqlite3', [db, "DROP TRIGGER audit_no_delete; CREATE TRIGGER evil AFTER UPDATE ON settings BEGIN "
      + "INSERT OR REPLACE INTO settings(key, value) VALUES ('trusted_signers', 'mallory'); END;"], 'sqlite3');
    const evil = join(work, 'evil-backup.zip');
    tool('python3', ['-c', repack, backup, evil, db], 'python3');
    const refused = await restore(page, evil, 'evil');
    await page.screenshot({ path: join(ARTIFACTS, 'hostile-backup-refused.png') });
    assert.equal(refused.error, true, `refused: ${refused.message}`);
    assert.match(refused.message, /evil-backup\.zip/, `it names the file: ${refused.message}`);
    assert.match(refused.message, /trigger/i, `it names what is wrong: ${refused.message}`);
    assert.match(refused.message, /evil|audit_no_delete/, `it names the object: ${refused.message}`);

    // 2. A local header that names another file than the central directory.
    const zip = readFileSync(backup);
    const name = Buffer.from('workspace.json');
    const at = zip.indexOf(name);  // the first occurrence is a local header's name
    assert.ok(at > 0 && at < zip.indexOf(Buffer.from('PK\x01\x02', 'latin1')));
    const smuggled = Buffer.from(zip);
    Buffer.from('workspace.html').copy(smuggled, at);
    const twoNames = join(work, 'two-names.zip');
    writeFileSync(twoNames, smuggled);
    const refused2 = await restore(page, twoNames, 'twonames');
    assert.equal(refused2.error, true);
    assert.match(refused2.message, /two-names\.zip/);
    assert.match(refused2.message, /local header names "workspace\.html"/, refused2.message);

    // Nothing was created, nothing of the open workspace changed.
    const widgets = await page.evaluate(() => window.planner.widgets());
    assert.ok(!widgets.includes('workspaces.open.evil') && !widgets.includes('workspaces.open.twonames'));
    const after = await plannerState(page);
    assert.equal(after.workspaceId, before.workspaceId);
    assert.deepEqual(after.counts, before.counts);
    assert.equal(after.auditRows, before.auditRows);
    assert.equal(await page.evaluate(() => window.planner.integrityCheck()), integrityBefore);
    assert.deepEqual(log.errors, []);
  } finally {
    await closeContext(context);
    server.close();
    rmSync(work, { recursive: true, force: true });
  }
});
