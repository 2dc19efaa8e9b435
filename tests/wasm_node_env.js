// Linked into the wasm test programs (--pre-js): under node, the program sees
// the process environment (Emscripten gives it a made-up one otherwise), so
// GTEST_TOTAL_SHARDS, GTEST_SHARD_INDEX and PLANNER_TEST_TMP work as natively.
Module['preRun'] = Module['preRun'] || [];
Module['preRun'].push(function () {
  if (typeof process === 'object' && process.env) {
    for (var name in process.env) ENV[name] = process.env[name];
  }
});
