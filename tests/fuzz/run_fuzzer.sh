#!/usr/bin/env bash
# Runs one libFuzzer target for a bounded time, as ctest's test of that target.
#
#   run_fuzzer.sh <binary> <seed corpus> <scratch corpus> <crash folder> [libFuzzer flags...]
#
# The seed is $PLANNER_FUZZ_SEED, or a random one; it is printed so a run can
# be repeated. The first sanitizer report stops the run (halt_on_error). Every
# crash input is written to the crash folder, printed in base64 (so it is not
# lost with a CI machine), and replayed by every later run in that build tree;
# keep it for good as tests/fuzz/corpus/<target>/regression_<name>.
set -u
bin="$1" seeds="$2" scratch="$3" crashes="$4"
shift 4
name="$(basename "$bin")"
seed="${PLANNER_FUZZ_SEED:-$(( (RANDOM << 15 | RANDOM) + 1 ))}"
mkdir -p "$scratch" "$crashes"
echo "$name: seed $seed (repeat with PLANNER_FUZZ_SEED=$seed)"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:${UBSAN_OPTIONS:-}"
export ASAN_OPTIONS="halt_on_error=1:${ASAN_OPTIONS:-}"
before="$(ls "$crashes")"
"$bin" -seed="$seed" -artifact_prefix="$crashes/" "$@" "$scratch" "$seeds" "$crashes"
rc=$?
for f in "$crashes"/*; do
  [[ -f "$f" ]] || continue
  grep -qxF "$(basename "$f")" <<<"$before" && continue
  echo "$name: new crash input $f ($(stat -c %s "$f") bytes); keep it as tests/fuzz/corpus/$name/regression_$(basename "$f"):"
  head -c 8192 "$f" | base64
done
if ((rc != 0)); then
  echo "$name: FAILED (exit $rc, seed $seed)"
fi
exit "$rc"
