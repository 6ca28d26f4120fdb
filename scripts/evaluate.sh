#!/usr/bin/env bash
# Translates test sets with a model and prints a Markdown table: test set, sentences, BLEU, chrF, sentences/s.
#
# Usage: scripts/evaluate.sh [options] MODEL [SRC:REF ...]
#   SRC:REF          a source file and its reference translation (plain or .gz); by default every
#                    corpora/multi30k/test_*.<src-lang>.gz with its .<tgt-lang>.gz
#   --src-lang L     source language suffix of the default test sets (de)
#   --tgt-lang L     target language suffix of the default test sets (en)
#   --keep DIR       keep the translations in DIR (<test set>.hyp)
#   -- ARGS...       further arguments for translate (e.g. -- --beam-size 5 --batch-size 32)
# Fails (exit 1) on a missing file, a failed translation or one whose line count differs from its source's:
# no score is printed for a translation that lost lines.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
bin="${FERRY_BIN_DIR:-$root/build/bin}"
src_lang=de
tgt_lang=en
keep=""
model=""
pairs=()
translate_args=()

fail() { echo "evaluate.sh: $*" >&2; exit 1; }

while [[ $# -gt 0 ]]; do
  case "$1" in
    --src-lang) src_lang="$2"; shift 2 ;;
    --tgt-lang) tgt_lang="$2"; shift 2 ;;
    --keep) keep="$2"; shift 2 ;;
    --) shift; translate_args=("$@"); break ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) if [[ -z "$model" ]]; then model="$1"; else pairs+=("$1"); fi; shift ;;
  esac
done
[[ -n "$model" ]] || fail "no model given (usage: scripts/evaluate.sh MODEL [SRC:REF ...])"
[[ -f "$model" ]] || fail "model file '$model' not found"
for program in translate evaluate; do
  [[ -x "$bin/$program" ]] || fail "$bin/$program not found: build first (scripts/build.sh)"
done

if [[ ${#pairs[@]} -eq 0 ]]; then
  for src in "$root"/corpora/multi30k/test_*."$src_lang".gz; do
    [[ -e "$src" ]] || fail "no default test sets in corpora/multi30k (run scripts/get-data.sh, or name SRC:REF pairs)"
    pairs+=("$src:${src%.$src_lang.gz}.$tgt_lang.gz")
  done
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
[[ -z "$keep" ]] || mkdir -p "$keep"

echo "| test set | sentences | BLEU | chrF | sentences/s |"
echo "|---|---:|---:|---:|---:|"
for pair in "${pairs[@]}"; do
  src="${pair%%:*}"
  ref="${pair#*:}"
  [[ "$src" != "$pair" && -n "$ref" ]] || fail "'$pair' is not SRC:REF"
  [[ -f "$src" ]] || fail "source file '$src' not found"
  [[ -f "$ref" ]] || fail "reference file '$ref' not found"
  name=$(basename "$src")
  name="${name%.gz}"
  name="${name%.*}"
  [[ "$name" =~ \.[a-z]{2,3}$ ]] && name="${name%.*}"  # a language suffix left after .txt
  hyp="$work/$name.hyp"
  gzip -dcf "$src" > "$work/source"
  lines=$(wc -l < "$work/source")
  start=$(date +%s.%N)
  "$bin/translate" --model "$model" "${translate_args[@]}" < "$work/source" > "$hyp" ||
    fail "translate failed on '$src'"
  end=$(date +%s.%N)
  produced=$(wc -l < "$hyp")
  [[ "$produced" -eq "$lines" ]] || fail "translation of '$src' has $produced lines for $lines source lines; no score"
  scores=$("$bin/evaluate" --ref "$ref" --metrics bleu,chrf < "$hyp") || fail "evaluate failed on '$src'"
  bleu=$(awk '/^BLEU = /{print $3}' <<< "$scores")
  chrf=$(awk '/^chrF2 = /{print $3}' <<< "$scores")
  speed=$(awk -v n="$lines" -v a="$start" -v b="$end" 'BEGIN{printf "%.1f", n / (b - a)}')
  echo "| $name | $lines | $bleu | $chrf | $speed |"
  [[ -z "$keep" ]] || cp "$hyp" "$keep/$name.hyp"
done
