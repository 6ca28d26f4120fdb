#!/usr/bin/env bash
# Training and translation speed, and training peak memory, of ferry next to ../shared/bench/torch_ref.py (the
# same model in PyTorch), run alternately in one sitting so that both see the same machine, with the ratios of
# the medians.
#
# Usage: scripts/bench-vs-torch.sh [--rounds N] [--seconds S] [--precision P] [--translate MODEL TORCH_CKPT]
#                                   [--translate-precision P] [--set key=value ...]
#   --rounds N        alternating rounds (3)
#   --seconds S       training time measured per round and program (120; 0: no training runs)
#   --precision P     ferry's arithmetic, f32 or bf16, in training and translation (f32)
#   --translate-precision P   ferry's arithmetic in translation only: f32, bf16 or int8 (that of --precision)
#   --translate M C   also time translation of test_2016_flickr (beam 5 and greedy, batch 32): ferry's model.bin M
#                     against torch_ref's checkpoint C (torch_ref.py --train-minutes N --save C makes one)
#   --set key=value   config overrides for ferry's training runs
# Needs the packages of scripts/install-deps.sh --bench. Nothing else may run meanwhile.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
bin="$root/build/bin"
torch_ref="$root/../shared/bench/torch_ref.py"
data="$root/corpora/multi30k"
rounds=3
seconds=120
model=""
checkpoint=""
precision=f32
translate_precision=""
overrides=()

while [[ $# -gt 0 ]]; do
  case "$1" in
    --rounds) rounds="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    --translate) model="$2"; checkpoint="$3"; shift 3 ;;
    --precision) precision="$2"; shift 2 ;;
    --translate-precision) translate_precision="$2"; shift 2 ;;
    --set) overrides+=(--set "$2"); shift 2 ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "bench-vs-torch.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
translate_precision="${translate_precision:-$precision}"
[[ -f "$torch_ref" ]] || { echo "bench-vs-torch.sh: $torch_ref not found" >&2; exit 1; }
[[ -x "$bin/train" ]] || { echo "bench-vs-torch.sh: build first (scripts/build.sh)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

median() { sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }

peak_rss() {  # runs a command under GNU time; its peak RSS in MiB goes to the file $work/rss
  /usr/bin/time -f '%M' -o "$work/rss.kib" "$@"
  awk '{printf "%.0f\n", $1 / 1024}' "$work/rss.kib" > "$work/rss"
}

ferry_train() {  # target tokens/s: median of the log windows after the first
  rm -rf "$work/run"
  # torch_ref's model: Luong general attention, no label smoothing (the shipped config: mlp and 0.1).
  peak_rss "$bin/train" --config "$root/configs/de-en.yaml" --overwrite --set model.precision="$precision" \
    --set model.decoder.attention=general --set training.label_smoothing=0 "${overrides[@]}" \
    --set training.model_dir="$work/run" --set training.max_time="$seconds" --set training.log_every=20 \
    --set training.validate_every=1000000 --set training.max_epochs=0 > /dev/null 2> "$work/train.log"
  grep -o '"tokens_per_sec": [0-9.e+]*' "$work/run/metrics.jsonl" | awk 'NR > 1 {print $2}' | median
}

torch_train() {
  peak_rss /usr/bin/python3 "$torch_ref" --data "$data" --cache "$work/torch" --bench-train "$seconds" 2> /dev/null |
    awk '/^bench-train:/ {print $2}'
}

ferry_translate() {  # sentences/s
  local beam="$1"
  gzip -dc "$data/test_2016_flickr.de.gz" > "$work/test.de"
  local start end
  start=$(date +%s.%N)
  "$bin/translate" --model "$model" --precision "$translate_precision" --beam-size "$beam" --batch-size 32 \
    < "$work/test.de" > "$work/hyp.txt"
  end=$(date +%s.%N)
  awk -v a="$start" -v b="$end" 'BEGIN {printf "%.2f\n", 1000 / (b - a)}'
}

torch_translate() {
  /usr/bin/python3 "$torch_ref" --data "$data" --cache "$work/torch" --bench-translate "$checkpoint" \
    --beam "$1" --batch 32 --out "$work/torch_hyp.txt" 2> /dev/null |
    awk '/^bench-translate:/ {for (i = 1; i <= NF; ++i) if ($i == "sent/s,") print $(i - 1)}'
}

: > "$work/results"
for round in $(seq "$rounds"); do
  if [[ "$seconds" -gt 0 ]]; then
    echo "round $round/$rounds: training" >&2
    echo "train_ferry $(ferry_train)" >> "$work/results"
    echo "rss_ferry $(cat "$work/rss")" >> "$work/results"
    echo "train_torch $(torch_train)" >> "$work/results"
    echo "rss_torch $(cat "$work/rss")" >> "$work/results"
  fi
  if [[ -n "$model" ]]; then
    for beam in 5 1; do
      echo "round $round/$rounds: translation, beam $beam" >&2
      echo "beam${beam}_ferry $(ferry_translate "$beam")" >> "$work/results"
      echo "beam${beam}_torch $(torch_translate "$beam")" >> "$work/results"
      echo "beam $beam: output words ferry $(wc -w < "$work/hyp.txt"), torch_ref $(wc -w < "$work/torch_hyp.txt")" \
        > "$work/words_beam$beam"
    done
  fi
done

printf "%-32s %12s %12s %8s\n" "measure (median)" "ferry" "torch_ref" "ratio"
for measure in train rss beam5 beam1; do
  grep -q "^${measure}_ferry " "$work/results" || continue
  ours=$(awk -v m="${measure}_ferry" '$1 == m {print $2}' "$work/results" | median)
  theirs=$(awk -v m="${measure}_torch" '$1 == m {print $2}' "$work/results" | median)
  case "$measure" in
    train) unit="target tok/s" ;;
    rss) unit="training peak RSS, MiB" ;;
    *) unit="sent/s" ;;
  esac
  printf "%-32s %12.1f %12.1f %7.2fx\n" "$measure ($unit)" "$ours" "$theirs" "$(awk -v a="$ours" -v b="$theirs" 'BEGIN {print a / b}')"
done
[[ -n "$model" ]] && cat "$work/words_beam5" "$work/words_beam1"
echo
echo "all runs:"
cat "$work/results"
