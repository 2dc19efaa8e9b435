// Runs the browser tests so that no failure can hide: each test file runs in
// its own `node --test` process, each test with a time limit (the `test` of
// lib/browser.mjs); a watchdog kills a
// file whose tests stop reporting (its process group and every browser it
// recorded, by process id) and names the test that hung. Failed, cancelled,
// todo and skipped tests all count as failures, and so does a non-zero exit.
// Ends with one line "e2e: N passed, N failed".
//
//   node run.mjs [file.test.mjs ...]     (default: every *.test.mjs here)
//   PLANNER_E2E_TEST_TIMEOUT_MS   time limit of one test (default 240000)
//   PLANNER_E2E_WATCHDOG_GRACE_MS silence beyond that limit before the watchdog acts (default 60000)
//   PLANNER_E2E_JOBS              test files run at once (default 1)
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const TEST_TIMEOUT_MS = Number(process.env.PLANNER_E2E_TEST_TIMEOUT_MS || 240000);
// node's own per-test timeout fires first; the watchdog is for what it cannot
// stop (a hung browser keeping the file's process alive).
const SILENCE_LIMIT_MS = TEST_TIMEOUT_MS + Number(process.env.PLANNER_E2E_WATCHDOG_GRACE_MS || 60000);
const JOBS = Math.max(1, Number(process.env.PLANNER_E2E_JOBS || 1));
const LOG_DIR = process.env.PLANNER_E2E_LOG_DIR || join(HERE, 'artifacts', 'logs');
mkdirSync(LOG_DIR, { recursive: true });

const files = process.argv.slice(2).length
  ? process.argv.slice(2)
  : readdirSync(HERE).filter((f) => f.endsWith('.test.mjs')).sort();

// Kills the recorded browsers still running (a recorded pid now used by
// another program is left alone); returns the pids it killed.
function killRecordedBrowsers(pidDir) {
  const killed = [];
  for (const name of readdirSync(pidDir).filter((n) => n.startsWith('browser-'))) {
    const pid = Number(readFileSync(join(pidDir, name), 'utf8'));
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (stat.slice(stat.lastIndexOf(')') + 2)[0] === 'Z') continue;
      if (!/chrom/.test(readFileSync(`/proc/${pid}/cmdline`, 'utf8'))) continue;
      process.kill(pid, 'SIGKILL');
      killed.push(pid);
    } catch { /* already gone */ }
  }
  return killed;
}

// The environment of a test file's process. NODE_TEST_CONTEXT is dropped: when
// this runner itself runs under node --test, the child would otherwise report
// to it instead of printing TAP.
function childEnv(pidDir) {
  const env = { ...process.env, PLANNER_E2E_PIDS: pidDir };
  delete env.NODE_TEST_CONTEXT;
  return env;
}

// Runs one file; resolves to { file, counts, exitCode, hung, seconds, log }.
function runFile(file) {
  return new Promise((resolve) => {
    const pidDir = mkdtempSync(join(tmpdir(), 'planner-e2e-pids-'));
    const logFile = join(LOG_DIR, `${basename(file, '.test.mjs')}.tap`);
    const log = createWriteStream(logFile);
    const t0 = Date.now();
    const child = spawn(process.execPath, [
      '--test', '--test-reporter=tap', '--test-concurrency=1', '--test-force-exit', join(HERE, file),
    ], { cwd: HERE, env: childEnv(pidDir), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let current = '(before the first test)';
    let lastActivity = Date.now();
    let hung = null;
    let buffered = '';
    const counts = {};
    const failures = [];
    const onData = (chunk) => {
      lastActivity = Date.now();
      log.write(chunk);
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop();
      for (const line of lines) {
        let m = line.match(/^\s*# Subtest: (.*)$/);
        if (m) current = m[1];
        m = line.match(/^# (tests|suites|pass|fail|cancelled|skipped|todo) (\d+)$/);
        if (m) counts[m[1]] = Number(m[2]);
        m = line.match(/^not ok \d+ - (.*)$/);
        if (m) failures.push(m[1]);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const watchdog = setInterval(() => {
      if (Date.now() - lastActivity < SILENCE_LIMIT_MS) return;
      const running = readdirSync(pidDir).filter((n) => n.startsWith('running-'));
      hung = running.length ? readFileSync(join(pidDir, running[0]), 'utf8') : current;
      const browsers = killRecordedBrowsers(pidDir);
      try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ }
      log.write(`\n# watchdog: "${hung}" silent for ${SILENCE_LIMIT_MS} ms; killed the test process and browsers ${browsers.join(', ') || '(none)'}\n`);
    }, 1000);
    child.on('close', (code, signal) => {
      clearInterval(watchdog);
      // Browsers a finished file left running are a failure of their own.
      const leftovers = hung ? [] : killRecordedBrowsers(pidDir);
      rmSync(pidDir, { recursive: true, force: true });
      log.end();
      resolve({
        file, counts, failures, hung, leftovers, exitCode: code ?? signal, logFile,
        seconds: (Date.now() - t0) / 1000,
      });
    });
  });
}

async function main() {
  const queue = [...files];
  const results = [];
  const workers = Array.from({ length: Math.min(JOBS, queue.length) }, async () => {
    while (queue.length) {
      const r = await runFile(queue.shift());
      results.push(r);
      const c = r.counts;
      const status = r.hung ? `HUNG in "${r.hung}"` : `exit ${r.exitCode}`;
      console.log(`${r.file}: ${c.pass ?? 0} passed, ${c.fail ?? 0} failed, ${c.cancelled ?? 0} cancelled, ` +
        `${c.todo ?? 0} todo, ${c.skipped ?? 0} skipped (${status}, ${r.seconds.toFixed(1)} s)`);
      for (const f of r.failures) console.log(`  not ok: ${f}`);
    }
  });
  await Promise.all(workers);
  let passed = 0;
  let failed = 0;
  for (const r of results) {
    const c = r.counts;
    passed += c.pass ?? 0;
    const bad = (c.fail ?? 0) + (c.cancelled ?? 0) + (c.todo ?? 0) + (c.skipped ?? 0);
    failed += bad;
    // A file that hung, printed no summary, exited non-zero or left a browser
    // running counts as one more failure unless a failed test already explains it.
    const summaryMissing = c.pass === undefined;
    if (r.hung) { failed += 1; console.log(`${r.file}: the watchdog killed it while "${r.hung}" ran; log: ${r.logFile}`); }
    else if (summaryMissing) { failed += 1; console.log(`${r.file}: no test summary; log: ${r.logFile}`); }
    else if (r.exitCode !== 0 && bad === 0) { failed += 1; console.log(`${r.file}: exit ${r.exitCode} with no failed test; log: ${r.logFile}`); }
    if (r.leftovers.length) { failed += 1; console.log(`${r.file}: left browsers running (killed: ${r.leftovers.join(', ')})`); }
  }
  console.log(`e2e: ${passed} passed, ${failed} failed`);
  process.exit(failed === 0 && passed > 0 ? 0 : 1);
}

main();
