#!/usr/bin/python3
"""Plots training runs from their metrics.jsonl: training loss, validation perplexity and BLEU (or chrF)
against the step and against wall time, and the learning rate; several run folders side by side.

Usage: scripts/plot-training.py RUN_DIR [RUN_DIR ...] [--out curves.png]
Exit 2 when a folder has no metrics.jsonl or a line of it is not JSON.
"""
import argparse
import json
import os
import sys

import matplotlib

matplotlib.use("Agg")  # files only, no display
import matplotlib.pyplot as plt  # noqa: E402


def fail(message):
    print(f"plot-training.py: {message}", file=sys.stderr)
    sys.exit(2)


def read_run(folder):
    """Training lines and validation lines of a run, each validation with the wall time of its step."""
    path = os.path.join(folder, "metrics.jsonl")
    if not os.path.isfile(path):
        fail(f"no metrics.jsonl in '{folder}'")
    training, validation = [], []
    with open(path, encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                fail(f"{path}:{number}: not a JSON object")
            (validation if "valid_ppl" in record else training).append(record)
    # A validation happens right after the training line of its step (or of the step before it).
    for record in validation:
        before = [t["elapsed_sec"] for t in training if t["step"] <= record["step"]]
        record["elapsed_sec"] = before[-1] if before else 0.0
    return training, validation


def main():
    parser = argparse.ArgumentParser(description="Plots training runs from their metrics.jsonl.")
    parser.add_argument("runs", nargs="+", help="run folders (training.model_dir)")
    parser.add_argument("--out", default="curves.png", help="image file to write (PNG; default curves.png)")
    args = parser.parse_args()
    runs = [(os.path.basename(os.path.normpath(folder)), *read_run(folder)) for folder in args.runs]

    panels = [("training loss", False, "loss"), ("validation perplexity", True, "valid_ppl"),
              ("validation BLEU", True, "valid_bleu"), ("learning rate", False, "lr")]
    figure, axes = plt.subplots(2, len(panels), figsize=(16, 7), dpi=100)
    for column, (title, from_validation, key) in enumerate(panels):
        for row, (x_key, x_label, x_scale) in enumerate([("step", "step", 1), ("elapsed_sec", "hours", 3600)]):
            axis = axes[row][column]
            for name, training, validation in runs:
                records = [r for r in (validation if from_validation else training) if key in r]
                if records:
                    axis.plot([r[x_key] / x_scale for r in records], [r[key] for r in records], label=name)
            axis.set_title(title)
            axis.set_xlabel(x_label)
            axis.grid(alpha=0.3)
            if key == "valid_ppl":
                axis.set_yscale("log")
            if row == 0 and column == 0:
                axis.legend()
    figure.tight_layout()
    figure.savefig(args.out)
    print(args.out)


if __name__ == "__main__":
    main()
