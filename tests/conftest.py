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


def once_per_run(tmp_path_factory, name: str, make) -> Path:
    """``make(folder)`` run once for the whole test run, all xdist workers together (the
    first to ask makes it under a lock, the others wait and take it): for inputs that are
    a pure function of the repository, read-only to the tests that use them (copy first)."""
    import fcntl
    import os

    base = tmp_path_factory.getbasetemp()
    root = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    folder = root / f"once-{name}"
    with open(root / f".once-{name}.lock", "a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (root / f".once-{name}.done").exists():
            if folder.exists():
                import shutil

                shutil.rmtree(folder)           # a worker died making it
            folder.mkdir()
            make(folder)
            (root / f".once-{name}.done").touch()
    return folder


def warm_cache_dir(folder: Path) -> Path:
    """A fresh ``$PAKG_CACHE_DIR`` for a ``kg`` subprocess, its extraction cache its own and
    empty, holding links to the tables this process's cache folder has derived already (the
    gazetteer, jieba's dictionaries, the tagger's rewired encoder: each file's name carries
    what invalidates it, see kg.cache), so that the subprocess does not derive them all again
    (about 4.5 s). A table not derived yet is derived by the subprocess into ``folder``."""
    from kg.cache import cache_dir

    folder.mkdir(parents=True, exist_ok=True)
    source = cache_dir()
    if source.is_dir():
        for table in source.iterdir():
            if table.is_file() and not table.name.startswith("."):
                (folder / table.name).symlink_to(table)
    return folder


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
