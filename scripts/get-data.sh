#!/usr/bin/env bash
# Puts Multi30k German-English (train, val, test_2016_flickr; gzipped raw text) into corpora/multi30k/.
# Usage: scripts/get-data.sh [LOCAL_FOLDER]
# Takes the files from LOCAL_FOLDER, else from ../shared/data/multi30k beside the checkout if present, else
# downloads them from the dataset's public repository (github.com/multi30k/dataset, data/task1/raw).
# Verifies line counts; exits non-zero with a message when the data cannot be had.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
target="$root/corpora/multi30k"
url="https://raw.githubusercontent.com/multi30k/dataset/master/data/task1/raw"
declare -A expected=([train]=29000 [val]=1014 [test_2016_flickr]=1000)

fail() { echo "get-data: $*" >&2; exit 1; }

count_lines() { gzip -dc "$1" | wc -l; }

verified() {  # all six files present with the expected line counts
  local split lang
  for split in "${!expected[@]}"; do
    for lang in de en; do
      local file="$target/$split.$lang.gz"
      [[ -s "$file" ]] || return 1
      [[ $(count_lines "$file") -eq ${expected[$split]} ]] || return 1
    done
  done
}

if verified; then exit 0; fi
mkdir -p "$target"

source_folder="${1:-}"
if [[ -z "$source_folder" && -d "$root/../shared/data/multi30k" ]]; then
  source_folder="$root/../shared/data/multi30k"
fi

for split in "${!expected[@]}"; do
  for lang in de en; do
    name="$split.$lang"
    if [[ -n "$source_folder" ]]; then
      if [[ -f "$source_folder/$name.gz" ]]; then
        cp "$source_folder/$name.gz" "$target/$name.gz.part"
      elif [[ -f "$source_folder/$name" ]]; then
        gzip -c "$source_folder/$name" > "$target/$name.gz.part"
      else
        fail "no $name or $name.gz in $source_folder"
      fi
    else
      curl -fsSL --retry 3 "$url/$name.gz" -o "$target/$name.gz.part" ||
        fail "cannot download $url/$name.gz (no network? pass a local folder: scripts/get-data.sh FOLDER)"
    fi
    gzip -t "$target/$name.gz.part" 2>/dev/null || fail "$name.gz is not a valid gzip file"
    lines=$(count_lines "$target/$name.gz.part")
    [[ $lines -eq ${expected[$split]} ]] || fail "$name has $lines lines, expected ${expected[$split]}"
    mv "$target/$name.gz.part" "$target/$name.gz"
  done
done
echo "get-data: Multi30k de-en ready in $target" >&2
