#!/usr/bin/env bash
# Builds the toolkit with AddressSanitizer and UndefinedBehaviorSanitizer in build-asan/ and runs the unit
# tests there (the end-to-end program tests run in the Release build of scripts/test.sh). Any report fails
# the run. Extra arguments go to the test binary (e.g. --gtest_filter=Bleu.*).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build="${FERRY_ASAN_BUILD_DIR:-$root/build-asan}"
"$root/scripts/install-deps.sh"
"$root/scripts/get-data.sh" >/dev/null
if [[ ! -f "$build/CMakeCache.txt" ]]; then
  # -O1: the numeric tests run in minutes and the build stays short; -g1 (line tables only) and the frame
  # pointers let reports name functions and lines.
  cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g1 -march=native" \
    -DSANITIZE=address,undefined >/dev/null
fi
cmake --build "$build" -j"$(nproc)" --target ferry_tests
cd "$build"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
# The model-level tests train on oneDNN's RNN primitive, which is not instrumented, so that the run stays within
# CI's time; MatmulLstm's own tests choose it explicitly, so its code still runs under the sanitizers.
export FERRY_RNN_KERNEL="${FERRY_RNN_KERNEL:-primitive}"
# The tests run in one process per core, each a shard of the suite, rather than in a process per test as
# ctest runs them: an instrumented process takes most of a second to start, which over 1,600 tests is most
# of the run. Program tests start the programs as separate processes: they belong to the Release run.
shards=$(nproc)
# ctest's per-test time limit does not reach inside a shard: a shard that hangs is stopped after this long.
shard_seconds=1200
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
pids=()
for ((i = 0; i < shards; i++)); do
  GTEST_TOTAL_SHARDS=$shards GTEST_SHARD_INDEX=$i timeout "$shard_seconds" ./bin/ferry_tests --gtest_brief=1 \
    --gtest_filter='-*Program*:*Script*:*Arguments*' "$@" >"$logs/shard-$i.log" 2>&1 &
  pids+=($!)
done
failed=0
for ((i = 0; i < shards; i++)); do
  status=0
  wait "${pids[$i]}" || status=$?
  if [[ $status -eq 0 ]]; then
    echo "shard $((i + 1)) of $shards: $(grep -E '^\[  PASSED  \]' "$logs/shard-$i.log")"
  else
    [[ $status -eq 124 ]] && echo "shard $((i + 1)) of $shards did not finish within $shard_seconds s"
    echo "shard $((i + 1)) of $shards failed (exit status $status):"
    cat "$logs/shard-$i.log"
    failed=1
  fi
done
exit "$failed"
