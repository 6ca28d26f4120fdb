"""The Python module against the command line: the same translations, scores and metrics, errors as
exceptions with the programs' messages, several threads on one Translator, the GIL released."""
import json
import threading
import time

import pytest

import ferry
from conftest import multi30k_lines, program, run

LINES = multi30k_lines("test_2016_flickr.de.gz", 12) + [""]
REFERENCES = multi30k_lines("test_2016_flickr.en.gz", 12) + ["An empty source."]


def cli_translations(model, lines, *options):
    out = run([program("translate"), "--model", model, "--threads", "1", *options], "".join(l + "\n" for l in lines))
    return out.split("\n")[:-1]


def test_translate_equals_the_command_line(tiny_model):
    translator = ferry.Translator(tiny_model, beam_size=3, threads=1)
    assert translator.beam_size == 3
    assert translator.precision == "f32"
    got = translator.translate(LINES)
    assert got == cli_translations(tiny_model, LINES, "--beam-size", "3")
    assert got[-1] == ""  # an empty line, an empty translation
    assert translator.translate([]) == []


def test_the_model_decoding_section_is_the_default(tiny_model):
    greedy = ferry.Translator(tiny_model, beam_size=1, threads=1).translate(LINES)
    default = ferry.Translator(tiny_model, threads=1).translate(LINES)
    assert greedy == cli_translations(tiny_model, LINES, "--beam-size", "1")
    assert default == cli_translations(tiny_model, LINES)


def test_an_ensemble_equals_the_command_lines(tiny_model):
    got = ferry.Translator([tiny_model, tiny_model], beam_size=2, threads=1).translate(LINES[:4])
    assert got == cli_translations(tiny_model, LINES[:4], "--beam-size", "2", "--model", tiny_model)


def test_score_equals_the_command_line(tiny_model):
    translator = ferry.Translator(tiny_model, threads=1)
    scores = translator.score(LINES, REFERENCES)
    sources = "".join(l + "\n" for l in LINES)
    with open(tiny_model + ".refs", "w", encoding="utf-8") as f:
        f.write("".join(r + "\n" for r in REFERENCES))
    expected = run([program("translate"), "--model", tiny_model, "--threads", "1", "--score",
                    "--ref-file", tiny_model + ".refs"], sources).split()
    assert len(scores) == len(expected)
    for got, want in zip(scores, expected):
        assert got == pytest.approx(float(want), abs=2e-6)
        assert got < 0


def test_evaluate_equals_the_evaluate_program(tmp_path):
    hypotheses = multi30k_lines("val.en.gz", 40)[::-1][:20] + multi30k_lines("val.en.gz", 20)
    references = multi30k_lines("val.en.gz", 40)
    second = [r.upper() for r in references]
    hyp_file, ref_file, ref2_file = tmp_path / "hyp", tmp_path / "ref", tmp_path / "ref2"
    for path, lines in ((hyp_file, hypotheses), (ref_file, references), (ref2_file, second)):
        path.write_text("".join(l + "\n" for l in lines), encoding="utf-8")
    want = json.loads(run([program("evaluate"), "--ref", str(ref_file), "--ref", str(ref2_file),
                           "--hyp", str(hyp_file), "--metrics", "bleu,chrf,chrf++", "--json"]))
    got = ferry.evaluate(hypotheses, [references, second], metrics="bleu,chrf,chrf++")
    assert set(got) == {"bleu", "chrf", "chrf++"}
    assert got["bleu"] == pytest.approx(want["bleu"]["score"], abs=1e-6)
    assert got["chrf"] == pytest.approx(want["chrf"]["score"], abs=1e-6)
    assert got["chrf++"] == pytest.approx(want["chrf++"]["score"], abs=1e-6)
    assert 0 < got["bleu"] < 100
    assert set(ferry.evaluate(hypotheses, [references])) == {"bleu", "chrf"}


def test_errors_are_exceptions_with_the_programs_messages(tiny_model, tmp_path):
    missing = str(tmp_path / "none.bin")
    with pytest.raises(ValueError, match=missing):
        ferry.Translator(missing)
    with pytest.raises(ValueError, match=r"beam_size.*256"):
        ferry.Translator(tiny_model, beam_size=0)
    with pytest.raises(ValueError, match="precision must be f32, bf16 or int8, not 'f16'"):
        ferry.Translator(tiny_model, precision="f16")
    with pytest.raises(ValueError, match=r"threads must be in \[0, 1024\], not -1"):
        ferry.Translator(tiny_model, threads=-1)
    with pytest.raises(TypeError):
        ferry.Translator(42)
    translator = ferry.Translator(tiny_model, threads=1)
    with pytest.raises(ValueError, match="scoring needs one target per source: 2 sources but 1 targets"):
        translator.score(["a", "b"], ["a"])
    with pytest.raises(TypeError):
        translator.translate("not a list")
    with pytest.raises(TypeError):
        translator.translate([1, 2])
    with pytest.raises(ValueError, match="reference"):
        ferry.evaluate(["a", "b"], [["a"]])
    with pytest.raises(ValueError, match="unknown metric"):
        ferry.evaluate(["a"], [["a"]], metrics="bleu,meteor")


def test_several_threads_share_one_translator(tiny_model):
    translator = ferry.Translator(tiny_model, beam_size=2, threads=1)
    expected = translator.translate(LINES)
    results, errors = {}, []

    def work(index):
        try:
            mine = LINES[index:] + LINES[:index]
            for _ in range(3):
                results[index] = translator.translate(mine)
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    for index, got in results.items():
        assert got == expected[index:] + expected[:index]


def test_translation_releases_the_gil(tiny_model):
    translator = ferry.Translator(tiny_model, beam_size=5, threads=1)
    lines = multi30k_lines("test_2016_flickr.de.gz", 200)
    window = {}

    def translate():
        window["start"] = time.monotonic()
        translator.translate(lines)
        window["end"] = time.monotonic()

    worker = threading.Thread(target=translate)
    ticks = []
    worker.start()
    while worker.is_alive():
        ticks.append(time.monotonic())
        time.sleep(0.001)
    worker.join()
    # This thread ran while the other was inside the translation: impossible if the GIL were held there.
    inside = [t for t in ticks if window["start"] + 0.01 < t < window["end"] - 0.01]
    assert window["end"] - window["start"] > 0.05, "the translation was too short to tell"
    assert len(inside) > 5
