"""kg eval: accuracy on the dev gold, and the scorer itself on golds whose score is known."""
import json
from pathlib import Path

import pytest

from kg.cli import main
from kg.evaluate import CORE, evaluate
from tests.conftest import ROOT, assert_counts_like_the_shared_scorer, shared_or_fail

DEV = ROOT / "tests" / "gold" / "dev"
SHARED_SCORER = ROOT.parent / "shared" / "eval" / "score.py"


@pytest.fixture(scope="module")
def dev_scores(seeds_build):
    return evaluate(DEV, seeds_build)


def f1(tallies, row):
    return tallies[row].prf()[2]


def test_dev_accuracy_stays_above_the_bar(dev_scores):
    """The floor under which a change to the extractor is a regression (issue 3, issue 4)."""
    assert f1(dev_scores, "ENTITIES (core)") >= 0.93
    assert all(f1(dev_scores, f"entity:{t}") >= 0.90 for t in CORE)
    assert f1(dev_scores, "ENTITIES (extended)") >= 0.85
    assert f1(dev_scores, "RELATIONS") >= 0.85
    assert f1(dev_scores, "attribute:positionTitle") >= 0.85
    assert f1(dev_scores, "figure:poverty_incidence") >= 0.90


def test_same_numbers_as_the_shared_scorer(seeds_build, tmp_path):
    shared_or_fail(SHARED_SCORER)
    assert_counts_like_the_shared_scorer(DEV, seeds_build, tmp_path)


def _gold_variant(tmp_path: Path, edit) -> Path:
    """The dev gold of one article, edited; the build is scored only on that article."""
    out = tmp_path / "gold"
    out.mkdir(parents=True)
    gold = json.loads((DEV / "000_517b1d5de5a6b7ee.json").read_text(encoding="utf-8"))
    edit(gold)
    (out / "000_517b1d5de5a6b7ee.json").write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    return out


def test_a_planted_miss_and_a_planted_false_hit_are_counted(seeds_build, tmp_path):
    base = evaluate(_gold_variant(tmp_path / "a", lambda g: None), seeds_build)["entity:Village"]

    def edit(gold):
        villages = [e for e in gold["entities"] if e["type"] == "Village"]
        gold["entities"].remove(villages[0])                  # the build's node now matches nothing
        gold["entities"].append({"type": "Village", "name": "不存在村", "aliases": []})

    got = evaluate(_gold_variant(tmp_path / "b", edit), seeds_build)["entity:Village"]
    assert (got.tp, got.fp, got.fn) == (base.tp - 1, base.fp + 1, base.fn + 1)
    assert any("不存在村" in x for x in got.missed)


def test_traditional_spelling_in_the_gold_matches(seeds_build, tmp_path):
    def edit(gold):
        county = next(e for e in gold["entities"] if e["type"] == "County")
        county["name"], county["aliases"] = "漣源市", []

    got = evaluate(_gold_variant(tmp_path, edit), seeds_build)["entity:County"]
    assert (got.tp, got.fn) == (1, 0)


def test_bad_gold_folder_is_a_usage_error(seeds_build, tmp_path, capsys):
    (tmp_path / "x.json").write_text("[1, 2]", encoding="utf-8")
    assert main(["eval", str(tmp_path), str(seeds_build)]) == 2
    assert "x.json" in capsys.readouterr().err
    assert main(["eval", str(tmp_path / "nothing"), str(seeds_build)]) == 2
