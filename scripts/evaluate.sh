#!/usr/bin/env bash
# Translates test sets with a model, or an ensemble of models, and prints a Markdown table: test set,
# sentences, BLEU, chrF, sentences/s.
#
# Usage: scripts/evaluate.sh [options] [MODEL ...] [SRC:REF ...]
#   MODEL            a model file; several make an ensemble (translate --model A --model B ...); none: the
#                    model.bin of --config FILE's run (its training.model_dir), else FERRY_MODEL's file
#   --config FILE    a training config, whose run's model.bin is the model when no MODEL is given
#   SRC:REF          a source file and its reference translation (plain or .gz); by default every
#                    corpora/multi30k/test_*.<src-lang>.gz with its .<tgt-lang>.gz
#   --src-lang L     source language suffix of the default test sets (de)
#   --tgt-lang L     target language suffix of the default test sets (en)
#   --keep DIR       keep the translations in DIR (<test set>.hyp; test sets of the same name get -2, -3, ...)
#   -- ARGS...       further arguments for translate (e.g. -- --beam-size 5 --batch-size 32); options that
#                    add to the output lines (--scores, --alignments, --n-best, --score) are refused
# Lines are counted as translate reads them: a last line without a final newline is a line.
# Exit 2 on bad input, found before anything is printed: a missing, unreadable or damaged model or file, a
# translate option it refuses, or a source and reference with different line counts. Exit 1 on a failed
# translation or one whose line count differs from its source's: no score is printed for a translation that
# lost lines.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
bin="${FERRY_BIN_DIR:-$root/build/bin}"
src_lang=de
tgt_lang=en
keep=""
config=""
models=()
pairs=()
positionals=()
translate_args=()

fail() { echo "evaluate.sh: $*" >&2; exit 1; }
bad_input() { echo "evaluate.sh: $*" >&2; exit 2; }

# Lines of a plain or gzipped file, a last line without newline included; bad input if it cannot be read.
count_lines() {
  [[ -e "$1" ]] || bad_input "$2 file '$1' not found"
  [[ -f "$1" ]] || bad_input "$2 '$1' is not a file"
  gzip -dcf -- "$1" 2> /dev/null | awk 'END { print NR }' || bad_input "$2 file '$1' cannot be read"
}

while [[ $# -gt 0 ]]; do
  case "$1" in
    --src-lang) src_lang="$2"; shift 2 ;;
    --tgt-lang) tgt_lang="$2"; shift 2 ;;
    --keep) keep="$2"; shift 2 ;;
    --config) config="$2"; shift 2 ;;
    --) shift; translate_args=("$@"); break ;;
    -h|--help) sed -n '2,21p' "$0"; exit 0 ;;
    *) positionals+=("$1"); shift ;;
  esac
done
# Model files make an ensemble; the first argument is a model (even a missing or damaged one) unless --config
# gives it or it reads SRC:REF; everything else is a test set.
for arg in "${positionals[@]}"; do
  if [[ "$(head -c 8 -- "$arg" 2> /dev/null)" == FERRYMOD ||
        ( ${#models[@]} -eq 0 && ${#pairs[@]} -eq 0 && -z "$config" && "$arg" != *:* ) ]]; then
    models+=("$arg")
  else
    pairs+=("$arg")
  fi
done
model_args=()
if [[ ${#models[@]} -eq 0 ]]; then
  # translate finds the model (and says what is wrong with it) from --config or FERRY_MODEL.
  if [[ -n "$config" ]]; then
    model_args=(--config "$config")
  elif [[ -z "${FERRY_MODEL:-}" ]]; then
    bad_input "no model: give MODEL, or --config FILE (a training config: the model.bin in its training.model_dir), or set FERRY_MODEL=FILE"
  fi
fi
for model in "${models[@]}"; do
  [[ -f "$model" ]] || bad_input "model file '$model' not found"
  [[ -r "$model" ]] || bad_input "model file '$model' cannot be read"
  model_args+=(--model "$model")
done
for program in translate evaluate; do
  [[ -x "$bin/$program" ]] || fail "$bin/$program not found: build first (scripts/build.sh)"
done
# What is scored is the output as text: options that decorate it would be scored as words.
for arg in "${translate_args[@]}"; do
  case "$arg" in
    --scores|--alignments|--alignments=*|--n-best|--n-best=*|--score|--ref-file|--ref-file=*)
      bad_input "translate option '$arg' adds to the output lines, which are scored as text" ;;
  esac
done

if [[ ${#pairs[@]} -eq 0 ]]; then
  for src in "$root"/corpora/multi30k/test_*."$src_lang".gz; do
    [[ -e "$src" ]] || bad_input "no default test sets in corpora/multi30k (run scripts/get-data.sh, or name SRC:REF pairs)"
    pairs+=("$src:${src%.$src_lang.gz}.$tgt_lang.gz")
  done
fi

# Every test set is checked before the table starts.
names=() sources=() references=() counts=()
for pair in "${pairs[@]}"; do
  src="${pair%%:*}"
  ref="${pair#*:}"
  [[ "$src" != "$pair" && -n "$src" && -n "$ref" ]] || bad_input "'$pair' is not SRC:REF (nor a model file)"
  src_lines=$(count_lines "$src" source)
  ref_lines=$(count_lines "$ref" reference)
  [[ "$src_lines" -eq "$ref_lines" ]] ||
    bad_input "source '$src' has $src_lines lines but reference '$ref' has $ref_lines"
  name=$(basename "$src")
  name="${name%.gz}"
  name="${name%.*}"
  [[ "$name" =~ \.[a-z]{2,3}$ ]] && name="${name%.*}"  # a language suffix left after .txt
  # Test sets of the same name from different folders keep apart.
  base="$name" n=1
  while [[ " ${names[*]} " == *" $name "* ]]; do n=$((n + 1)); name="$base-$n"; done
  names+=("$name") sources+=("$src") references+=("$ref") counts+=("$src_lines")
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
[[ -z "$keep" ]] || mkdir -p "$keep" || bad_input "cannot create --keep folder '$keep'"
# The model and the translate options are checked before the table starts: translate of no input.
if ! "$bin/translate" "${model_args[@]}" "${translate_args[@]}" < /dev/null > /dev/null 2> "$work/check"; then
  sed 's/^/evaluate.sh: /' "$work/check" >&2
  exit 2
fi

echo "| test set | sentences | BLEU | chrF | sentences/s |"
echo "|---|---:|---:|---:|---:|"
for i in "${!names[@]}"; do
  name="${names[$i]}" src="${sources[$i]}" ref="${references[$i]}" lines="${counts[$i]}"
  hyp="$work/$name.hyp"
  gzip -dcf -- "$src" > "$work/source"
  start=$(date +%s.%N)
  "$bin/translate" "${model_args[@]}" "${translate_args[@]}" < "$work/source" > "$hyp" ||
    fail "translate failed on '$src'"
  end=$(date +%s.%N)
  produced=$(awk 'END { print NR }' "$hyp")
  [[ "$produced" -eq "$lines" ]] || fail "translation of '$src' has $produced lines for $lines source lines; no score"
  scores=$("$bin/evaluate" --ref "$ref" --metrics bleu,chrf < "$hyp") || fail "evaluate failed on '$src'"
  bleu=$(awk '/^BLEU = /{print $3}' <<< "$scores")
  chrf=$(awk '/^chrF2 = /{print $3}' <<< "$scores")
  speed=$(awk -v n="$lines" -v a="$start" -v b="$end" 'BEGIN{printf "%.1f", n / (b - a)}')
  echo "| $name | $lines | $bleu | $chrf | $speed |"
  [[ -z "$keep" ]] || cp "$hyp" "$keep/$name.hyp"
done
