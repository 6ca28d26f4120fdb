#!/usr/bin/env bash
# Runs the benchmark programs for the reference model: data pipeline, training step by part (with the matmul
# peak), and translation (when a trained model is given). Nothing else may run meanwhile.
# Usage: scripts/bench.sh [MODEL]    (MODEL: a trained model.bin, e.g. runs/de-en/model.bin)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin="$root/build/bin"
cd "$root"
"$root/scripts/get-data.sh"
[[ -x "$bin/bench_train_step" ]] || "$root/scripts/build.sh"
echo "== data pipeline (bench_data)"
"$bin/bench_data"
echo
echo "== training step (bench_train_step)"
"$bin/bench_train_step"
if [[ $# -gt 0 ]]; then
  echo
  echo "== translation (bench_translate)"
  "$bin/bench_translate" --model "$1"
fi
