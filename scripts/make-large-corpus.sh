#!/usr/bin/env bash
# Writes a parallel corpus of N distinct sentence pairs made from Multi30k's training pairs, for trying the
# data pipeline and training at scale: pair i joins training pair a = i mod M and pair b = (a + i div M + 1)
# mod M (M = 29,000 pairs), source to source and target to target, so every pair is a real translation and
# no two are the same (up to M x (M - 1) pairs).
#
# Usage: scripts/make-large-corpus.sh N [OUT_DIR]   (OUT_DIR default corpora/large: train.de.gz, train.en.gz)
# Needs corpora/multi30k (scripts/get-data.sh). Exit 2 on bad input.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bad_input() { echo "make-large-corpus.sh: $*" >&2; exit 2; }

[[ $# -ge 1 && $# -le 2 ]] || bad_input "usage: scripts/make-large-corpus.sh N [OUT_DIR]"
count="$1"
out="${2:-$root/corpora/large}"
[[ "$count" =~ ^[1-9][0-9]*$ ]] || bad_input "N must be a positive whole number, not '$count'"
src="$root/corpora/multi30k/train.de.gz"
tgt="$root/corpora/multi30k/train.en.gz"
[[ -r "$src" && -r "$tgt" ]] || bad_input "$src and $tgt are needed: run scripts/get-data.sh"
pairs=$(gzip -dc "$tgt" | awk 'END { print NR }')
(( count <= pairs * (pairs - 1) )) || bad_input "at most $((pairs * (pairs - 1))) distinct pairs, not $count"
mkdir -p "$out"

# Both sides from one pass, so that line i of each file belongs to pair i; written to temporaries first.
gzip -dc "$src" | awk -v count="$count" -v tgt="$tgt" -v out_src="$out/train.de.tmp" -v out_tgt="$out/train.en.tmp" '
  { s[NR - 1] = $0 }
  END {
    m = NR
    command = "gzip -dc \"" tgt "\""
    while ((command | getline line) > 0) t[n++] = line
    close(command)
    if (n != m) { print "make-large-corpus.sh: the two sides differ in length" > "/dev/stderr"; exit 2 }
    for (i = 0; i < count; ++i) {
      a = i % m; b = (a + int(i / m) + 1) % m
      print s[a] " " s[b] > out_src
      print t[a] " " t[b] > out_tgt
    }
  }'
gzip -f "$out/train.de.tmp" "$out/train.en.tmp"
mv "$out/train.de.tmp.gz" "$out/train.de.gz"
mv "$out/train.en.tmp.gz" "$out/train.en.gz"
echo "$out/train.de.gz $out/train.en.gz: $count pairs"
