"""Shared fixtures of the Python module's tests: the programs of the build under test and a tiny model
trained once per session by build/bin/train (configs/tiny.yaml on 500 Multi30k pairs, one thread)."""
import gzip
import os
import subprocess

import pytest

SOURCE_DIR = os.environ.get("FERRY_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
BIN_DIR = os.environ.get("FERRY_BIN_DIR", os.path.join(SOURCE_DIR, "build", "bin"))
DATA_DIR = os.environ.get("FERRY_TEST_DATA_DIR", os.path.join(SOURCE_DIR, "corpora", "multi30k"))


def program(name):
    return os.path.join(BIN_DIR, name)


def multi30k_lines(name, count):
    with gzip.open(os.path.join(DATA_DIR, name), "rt", encoding="utf-8") as f:
        return [next(f).rstrip("\n") for _ in range(count)]


def run(args, stdin=""):
    """Runs a program; returns its standard output, failing the test on a nonzero exit."""
    result = subprocess.run(args, input=stdin, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tiny")
    data = lambda name: os.path.join(DATA_DIR, name)  # noqa: E731
    run([program("train"), "--config", os.path.join(SOURCE_DIR, "configs", "tiny.yaml"),
         "--set", "data.train.src=" + data("train.de.gz"), "--set", "data.train.tgt=" + data("train.en.gz"),
         "--set", "data.valid.src=" + data("val.de.gz"), "--set", "data.valid.tgt=" + data("val.en.gz"),
         "--set", f"vocab.src.model={folder}/spm.de.model", "--set", f"vocab.tgt.model={folder}/spm.en.model",
         "--set", f"training.model_dir={folder}/run", "--set", "training.threads=1"])
    return str(folder / "run" / "model.bin")
