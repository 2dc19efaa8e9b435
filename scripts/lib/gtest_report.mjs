// Counts the results in GoogleTest JSON reports (--gtest_output=json:FILE).
// A test counts as passed only when it ran, completed and has no failure;
// failed, skipped and disabled tests are failures. A report that is missing
// or unreadable is one failure of its own.
//
//   node gtest_report.mjs REPORT.json...   prints "PASSED FAILED" on the last line
import { existsSync, readFileSync } from 'node:fs';

let passed = 0;
let failed = 0;
for (const file of process.argv.slice(2)) {
  if (!existsSync(file)) {
    console.log(`missing report: ${file} (the program crashed or was killed)`);
    failed += 1;
    continue;
  }
  let report;
  try {
    report = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    console.log(`unreadable report: ${file}: ${e.message}`);
    failed += 1;
    continue;
  }
  for (const suite of report.testsuites || []) {
    for (const t of suite.testsuite || []) {
      if (t.status === 'RUN' && t.result === 'COMPLETED' && !(t.failures && t.failures.length)) {
        passed += 1;
      } else {
        failed += 1;
        const why = t.failures && t.failures.length ? 'failed' : `${t.status}/${t.result}`;
        console.log(`${why}: ${suite.name}.${t.name}`);
      }
    }
  }
}
console.log(`${passed} ${failed}`);
