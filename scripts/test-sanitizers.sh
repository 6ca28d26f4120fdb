#!/usr/bin/env bash
# Builds the toolkit with AddressSanitizer and UndefinedBehaviorSanitizer in build-asan/ and runs the unit
# tests there (the end-to-end program tests run in the Release build of scripts/test.sh). Any report fails
# the run. Extra arguments go to ctest.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build="${FERRY_ASAN_BUILD_DIR:-$root/build-asan}"
"$root/scripts/install-deps.sh"
"$root/scripts/get-data.sh" >/dev/null
if [[ ! -f "$build/CMakeCache.txt" ]]; then
  # -O1: the numeric tests run in minutes and the build stays short; reports name functions and lines
  # through the symbols and frame pointers.
  cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -march=native" \
    -DSANITIZE=address,undefined >/dev/null
fi
cmake --build "$build" -j"$(nproc)" --target ferry_tests
cd "$build"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
# The model-level tests train on oneDNN's RNN primitive, which is not instrumented, so that the run stays within
# CI's time; MatmulLstm's own tests choose it explicitly, so its code still runs under the sanitizers.
export FERRY_RNN_KERNEL="${FERRY_RNN_KERNEL:-primitive}"
# Program tests start the programs as separate processes: they belong to the Release run. So do the tests
# that first train a model on Multi30k pairs for hundreds of steps (search on a trained model, validation,
# an ensemble of a trained model, learning fifty pairs): 30-40 s each under the sanitizers, which would take
# CI past its time; the code they run is covered here by the unit tests of its parts.
long_training='^ModelSearch\.|^ValidatorTest\.PerplexityBleuAndChrfWithTheValidationBeamSize$'
long_training+='|^EnsembleScorer\.ATrainedModelWithItselfTranslatesAsTheModelAlone$|^Seq2SeqLearning\.FitsFiftyMulti30kPairs$'
ctest --output-on-failure -j"$(nproc)" -E "(Program|Script|Arguments)|$long_training" "$@"
