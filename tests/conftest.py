"""Shared fixtures: one build of the seeds per test session (it is what users run)."""
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED_EVAL = ROOT.parent / "shared" / "eval"


def shared_or_fail(*paths: Path) -> None:
    """Skip a test whose ``../shared`` files are not here, but fail under ``CI=true``:
    CI's clone has ``../shared`` beside it, so a missing one there is a fault."""
    import os

    missing = [p for p in paths if not p.exists()]
    if missing:
        message = f"the evaluation data is not at {missing[0]} (it lies beside the clone)"
        (pytest.fail if os.environ.get("CI") == "true" else pytest.skip)(message)


def assert_counts_like_the_shared_scorer(gold: Path, build: Path, tmp_path: Path) -> None:
    """``kg eval`` counts tp, fp and fn per row as ``../shared/eval/score.py`` does."""
    import json
    import subprocess
    import sys

    from kg.cli import main

    subprocess.run([sys.executable, str(SHARED_EVAL / "score.py"), str(gold), str(build),
                    "--json", str(tmp_path / "s.json")], check=True, capture_output=True)
    assert main(["eval", str(gold), str(build), "--json", str(tmp_path / "k.json")]) == 0
    theirs = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))["rows"]
    ours = json.loads((tmp_path / "k.json").read_text(encoding="utf-8"))["rows"]
    assert set(ours) == set(theirs)
    for row in theirs:
        assert [ours[row][k] for k in ("tp", "fp", "fn")] == [theirs[row][k] for k in ("tp", "fp", "fn")], row


@pytest.fixture(scope="session")
def seeds_build(tmp_path_factory) -> Path:
    """A fresh ``kg build seeds --out DIR``, through the real CLI entry point."""
    from kg.cli import main

    out = tmp_path_factory.mktemp("build")
    assert main(["build", str(ROOT / "seeds"), "--out", str(out), "--quiet"]) == 0
    return out


@pytest.fixture(scope="session")
def seeds_graph(seeds_build):
    from rdflib import Graph

    g = Graph()
    g.parse(seeds_build / "kg.ttl", format="turtle")
    return g
