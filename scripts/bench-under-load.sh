#!/usr/bin/env bash
# Training and translation throughput on a machine where something else runs: each measured quiet, then beside
# one niced CPU-bound process that this script starts (and stops), with OpenMP's waits as the programs set
# them (asleep) and, for comparison, spinning (OMP_WAIT_POLICY=ACTIVE, OpenMP's default behaviour). Prints the
# medians and the loaded/quiet ratios. Nothing else may run meanwhile.
# Usage: scripts/bench-under-load.sh MODEL [ROUNDS]   (MODEL: a trained model.bin; ROUNDS: default 3)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin="$root/build/bin"
model="${1:?usage: scripts/bench-under-load.sh MODEL [ROUNDS]}"
rounds="${2:-3}"
cd "$root"
work=$(mktemp -d)
busy_pid=""
trap '[[ -z "$busy_pid" ]] || kill "$busy_pid" 2>/dev/null; rm -rf "$work"' EXIT
gzip -dc corpora/multi30k/test_2016_flickr.de.gz | head -n 300 > "$work/source"

# Target tokens/s of training steps of the reference model.
train_speed() {
  env "$@" "$bin/bench_train_step" --runs 1 --steps 10 --warmup 2 2>/dev/null |
    awk '/^training:/ { print $2 }'
}
# Sentences/s of the translate program (beam 5, batch 32) over the first 300 test sentences.
translate_speed() {
  local start end
  start=$(date +%s.%N)
  env "$@" "$bin/translate" --model "$model" --beam-size 5 < "$work/source" > /dev/null 2>&1
  end=$(date +%s.%N)
  awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", 300 / (b - a) }'
}
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

start_busy() { nice -n 19 awk 'BEGIN { while (1) x++ }' & busy_pid=$!; }
stop_busy() { kill "$busy_pid"; wait "$busy_pid" 2>/dev/null || true; busy_pid=""; }

printf '%-34s %12s %12s %8s\n' "" quiet loaded ratio
for what in train translate; do
  for policy in asleep spinning; do
    env_args=(); [[ "$policy" == spinning ]] && env_args=(OMP_WAIT_POLICY=ACTIVE)
    quiet=() loaded=()
    for ((r = 0; r < rounds; ++r)); do
      quiet+=("$(${what}_speed "${env_args[@]}")")
      start_busy
      loaded+=("$(${what}_speed "${env_args[@]}")")
      stop_busy
    done
    q=$(printf '%s\n' "${quiet[@]}" | median)
    l=$(printf '%s\n' "${loaded[@]}" | median)
    unit=$([[ $what == train ]] && echo "target tok/s" || echo "sentences/s")
    printf '%-34s %12s %12s %7.2fx\n' "$what ($unit), waits $policy" "$q" "$l" "$(awk -v a="$l" -v b="$q" 'BEGIN { print a / b }')"
  done
done
