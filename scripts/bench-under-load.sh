#!/usr/bin/env bash
# Training and translation throughput on a machine where something else runs: each measured quiet, then beside
# one niced CPU-bound process that this script starts (and stops) in a session of its own, as a job started
# from another terminal runs (the kernel's autogroups then give it a core whatever its nice value). With
# OpenMP's waits as the programs set them (a brief spin: GOMP_SPINCOUNT=1000), and, for comparison, asleep at
# once (OMP_WAIT_POLICY=PASSIVE) and libgomp's default (spinning 300,000 times first). Prints the medians of
# ROUNDS alternating runs and the loaded/quiet ratios. Nothing else may run meanwhile.
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
gzip -dc corpora/multi30k/test_2016_flickr.de.gz | sed -n "1,100p" > "$work/source"

# Target tokens/s of training steps of the reference model.
train_speed() {
  env "$@" "$bin/bench_train_step" --runs 1 --steps 10 --warmup 2 2>/dev/null |
    awk '/^training:/ { print $2 }'
}
# Sentences/s of the translate program (beam 5, batch 32) over the first 100 test sentences.
translate_speed() {
  local start end
  start=$(date +%s.%N)
  env "$@" "$bin/translate" --model "$model" --beam-size 5 < "$work/source" > /dev/null 2>&1
  end=$(date +%s.%N)
  awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", 100 / (b - a) }'
}
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

start_busy() { setsid nice -n 19 awk 'BEGIN { while (1) x++ }' & busy_pid=$!; sleep 0.2; }
stop_busy() { kill "$busy_pid"; wait "$busy_pid" 2>/dev/null || true; busy_pid=""; }

printf '%-38s %12s %12s %8s\n' "" quiet loaded ratio
for what in train translate; do
  for policy in brief asleep default; do
    case "$policy" in
      brief) env_args=() ;;
      asleep) env_args=(OMP_WAIT_POLICY=PASSIVE) ;;
      default) env_args=(GOMP_SPINCOUNT=300000) ;;
    esac
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
    printf '%-38s %12s %12s %7.2fx\n' "$what ($unit), waits $policy" "$q" "$l" "$(awk -v a="$l" -v b="$q" 'BEGIN { print a / b }')"
  done
done
