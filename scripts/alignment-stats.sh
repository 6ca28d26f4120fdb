#!/usr/bin/env bash
# Whether a model's attention follows the sentence: reads `translate --alignments soft` output on standard
# input and prints, over the sentences of three or more target words, the mean correlation of each target
# word's position with the source position of its highest attention weight (near 1 when attention moves
# along the sentence, near 0 when it stays put), and the share of target words after the first whose highest
# weight is on the source's last position (</s>) or on its first.
#   build/bin/translate --model M --alignments soft < val.de | scripts/alignment-stats.sh
set -euo pipefail
awk -F' [|][|][|] ' '
NF >= 2 {
  rows = split($2, row, " ")
  if (rows < 3) next
  for (t = 1; t <= rows; ++t) {
    width = split(row[t], w, ",")
    best = 1
    for (s = 2; s <= width; ++s) if (w[s] + 0 > w[best] + 0) best = s
    pos[t] = best
    if (t > 1) { words++; if (best == width) last++; if (best == 1) first++ }
  }
  # Pearson correlation of (t, pos[t]); 0 when the source position never changes.
  sx = sy = sxx = syy = sxy = 0
  for (t = 1; t <= rows; ++t) { sx += t; sy += pos[t]; sxx += t * t; syy += pos[t] * pos[t]; sxy += t * pos[t] }
  vx = sxx - sx * sx / rows; vy = syy - sy * sy / rows
  corr += (vy > 0) ? (sxy - sx * sy / rows) / sqrt(vx * vy) : 0
  sentences++
}
END {
  if (sentences == 0) { print "alignment-stats.sh: no sentence of three or more target words with alignments" > "/dev/stderr"; exit 2 }
  printf "sentences %d  alignment correlation %.3f  on </s> %.1f%%  on the first %.1f%%\n", sentences, corr / sentences, 100 * last / words, 100 * first / words
}'
