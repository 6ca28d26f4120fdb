#!/usr/bin/python3
"""Draws the attention of a translation as a heatmap: source words across, target words down, each row the
weights one target word gives the source words (translate --alignments soft).

Usage: scripts/plot-attention.py --model M --src "Ein Hund läuft." [--out attention.png] [-- ARGS...]
ARGS go to translate (e.g. --beam-size 5). The translate program is $FERRY_BIN_DIR/translate (default:
build/bin next to this script's folder). Exit 2 on bad input (translate's message).
"""
import argparse
import os
import subprocess
import sys

import matplotlib

matplotlib.use("Agg")  # files only, no display
import matplotlib.pyplot as plt  # noqa: E402


def fail(message, status=2):
    print(f"plot-attention.py: {message}", file=sys.stderr)
    sys.exit(status)


def main():
    parser = argparse.ArgumentParser(description="Draws the attention of a translation as a heatmap.")
    parser.add_argument("--model", required=True, help="model file")
    parser.add_argument("--src", required=True, help="the source sentence")
    parser.add_argument("--out", default="attention.png", help="image file to write (PNG; default attention.png)")
    parser.add_argument("translate_args", nargs="*", help="further arguments for translate, after --")
    args = parser.parse_args()
    if "\n" in args.src or not args.src.strip():
        fail("--src must be one non-empty line")

    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    program = os.path.join(os.environ.get("FERRY_BIN_DIR", os.path.join(root, "build", "bin")), "translate")
    result = subprocess.run([program, "--model", args.model, "--alignments", "soft", *args.translate_args],
                            input=args.src + "\n", capture_output=True, text=True)
    if result.returncode != 0:
        sys.stderr.write(result.stderr)
        sys.exit(result.returncode)
    fields = result.stdout.rstrip("\n").split(" ||| ")
    if len(fields) < 2:
        fail(f"translate gave no alignment: {result.stdout.strip()!r}", 1)
    translation, rows = fields[0], fields[-1].split()
    weights = [[float(w) for w in row.split(",")] for row in rows]
    source_words, target_words = args.src.split(), translation.split()
    if len(weights) != len(target_words) or any(len(row) != len(source_words) for row in weights):
        fail(f"{len(weights)} alignment rows for {len(target_words)} target words, or rows not of "
             f"{len(source_words)} source words", 1)

    figure, axis = plt.subplots(figsize=(8, 6), dpi=100)
    image = axis.imshow(weights, cmap="Greys", vmin=0.0, vmax=1.0, aspect="auto")
    axis.set_xticks(range(len(source_words)), source_words, rotation=45, ha="right")
    axis.set_yticks(range(len(target_words)), target_words)
    axis.set_xlabel("source")
    axis.set_ylabel("translation")
    figure.colorbar(image, ax=axis, label="attention weight")
    figure.tight_layout()
    figure.savefig(args.out)
    print(args.out)


if __name__ == "__main__":
    main()
