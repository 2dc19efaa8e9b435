// The browser test runner (run.mjs) cannot be fooled: skipped, todo and
// never-settling tests count as failures, and a test that hangs is killed by
// the watchdog together with the browser it started, and named.
import { test } from './lib/browser.mjs';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { processAlive } from './lib/browser.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));

function runner(fixture, env = {}) {
  const logs = mkdtempSync(join(tmpdir(), 'planner-runner-'));
  const r = spawnSync(process.execPath, [join(HERE, 'run.mjs'), `fixtures/${fixture}`], {
    cwd: HERE, encoding: 'utf8', timeout: 120000,
    env: { ...process.env, PLANNER_E2E_LOG_DIR: logs, ...env },
  });
  rmSync(logs, { recursive: true, force: true });
  return r;
}

test('skipped, todo and never-settling tests are failures', () => {
  const r = runner('hidden.fixture.mjs');
  assert.equal(r.status, 1, r.stdout + r.stderr);
  assert.match(r.stdout, /^e2e: 1 passed, 3 failed$/m, r.stdout);
});

test('a hung test is killed with its browser and named', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'planner-runner-pid-'));
  const pidFile = join(dir, 'pid');
  try {
    const r = runner('hang.fixture.mjs', {
      PLANNER_E2E_TEST_TIMEOUT_MS: '3000', PLANNER_E2E_WATCHDOG_GRACE_MS: '3000', PLANNER_FIXTURE_PID_FILE: pidFile,
    });
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /HUNG in "spins forever with a browser open"/, r.stdout);
    assert.match(r.stdout, /^e2e: 0 passed, 1 failed$/m, r.stdout);
    const [browser, testProcess] = readFileSync(pidFile, 'utf8').split(' ').map(Number);
    assert.ok(browser > 0 && testProcess > 0);
    // SIGKILL is delivered asynchronously: give the kernel a moment to end them.
    for (let i = 0; i < 100 && (processAlive(browser) || processAlive(testProcess)); i += 1) {
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal(processAlive(browser), false, `the fixture's browser ${browser} was killed`);
    assert.equal(processAlive(testProcess), false, `the fixture's test process ${testProcess} was killed`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
