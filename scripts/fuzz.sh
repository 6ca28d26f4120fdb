#!/usr/bin/env bash
# Builds the libFuzzer targets of fuzz/ with clang, AddressSanitizer and UndefinedBehaviorSanitizer in
# build-fuzz/, and runs each for SECONDS (default 60) from its seeds (fuzz/seeds/<target>, and configs/ for
# the config reader). New inputs are kept in build-fuzz/corpus/<target>; a finding is written to
# build-fuzz/findings/ and ends the run with exit 1.
# Usage: scripts/fuzz.sh [SECONDS] [TARGET ...]   (targets: config archive input_line eval translate_request)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build="${FERRY_FUZZ_BUILD_DIR:-$root/build-fuzz}"
seconds="${1:-60}"
shift || true
targets=("$@")
[[ ${#targets[@]} -gt 0 ]] || targets=(config archive input_line eval translate_request)

"$root/scripts/install-deps.sh" --fuzz
if [[ ! -f "$build/CMakeCache.txt" ]]; then
  # clang's OpenMP runtime beside oneDNN's (GCC's): the targets run one thread (OMP_NUM_THREADS below), so
  # the two never share work.
  cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g1 -march=native" \
    -DCMAKE_CXX_COMPILER=clang++-15 -DSANITIZE=address,undefined -DFERRY_FUZZ=ON >/dev/null
fi
cmake --build "$build" -j"$(nproc)" --target $(printf '%s_fuzzer ' "${targets[@]}")

mkdir -p "$build/findings"
for target in "${targets[@]}"; do
  corpus="$build/corpus/$target"
  mkdir -p "$corpus"
  seeds=("$root/fuzz/seeds/$target")
  [[ "$target" == config ]] && seeds+=("$root/configs")
  echo "fuzz: $target for $seconds s" >&2
  # One thread: the numeric code is not what is fuzzed.
  OMP_NUM_THREADS=1 "$build/bin/${target}_fuzzer" "$corpus" "${seeds[@]}" -max_total_time="$seconds" \
    -rss_limit_mb=4096 -artifact_prefix="$build/findings/$target-" -print_final_stats=1 2>&1 |
    grep -E '^(#[0-9]+ +(DONE|INITED)|stat::number_of_executed_units|stat::new_units_added|==[0-9]+==|SUMMARY|.*ERROR|.*deadly signal|.*Test unit written)' || true
  if compgen -G "$build/findings/$target-*" >/dev/null; then
    echo "fuzz: $target found inputs that fail: $(ls "$build/findings/$target-"*)" >&2
    exit 1
  fi
done
echo "fuzz: no findings" >&2
