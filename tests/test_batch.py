"""Parallel and incremental builds give exactly the output of a clean single-process build."""
import shutil
import subprocess
import sys

import pytest

from kg.speed.stored import ExtractionCache
from kg.version import EXTRACTION_SOURCES, PACKAGE
from kg.pipeline import build
from tests.conftest import ROOT

FILES = ("kg.ttl", "provenance.ttl", "graph.html", "kg.nt", "kg.jsonld", "kg.trig", "kg.graphml", "kg.gexf",
         "neo4j/nodes_Cadre.csv", "neo4j/nodes_Observation.csv", "neo4j/relationships_locatedIn_Place_Place.csv",
         "neo4j/relationships_mentionedIn_Person_Article.csv", "neo4j/load.cypher", "neo4j/import.sh")


@pytest.fixture(scope="module")
def clean_build(tmp_path_factory):
    out = tmp_path_factory.mktemp("clean")
    build(ROOT / "seeds", out, jobs=1, cache=False, validate=False)  # every format
    return out


def same_output(a, b):
    return all((a / f).read_bytes() == (b / f).read_bytes() for f in FILES)


def test_two_processes_give_the_same_output(clean_build, tmp_path):
    build(ROOT / "seeds", tmp_path, jobs=2, cache=False, validate=False)
    assert same_output(clean_build, tmp_path)


def test_cached_build_gives_the_same_output(clean_build, tmp_path):
    cache = ExtractionCache(tmp_path / "cache")
    build(ROOT / "seeds", tmp_path / "first", cache=cache, validate=False)
    again = ExtractionCache(tmp_path / "cache")
    report = build(ROOT / "seeds", tmp_path / "second", cache=again, validate=False)
    assert report.reused == 5
    assert same_output(clean_build, tmp_path / "second")


def test_rebuild_after_editing_one_article_extracts_only_it(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(ROOT / "seeds", corpus)
    build(corpus, tmp_path / "before", cache=ExtractionCache(tmp_path / "cache"))
    memo = tmp_path / "cache" / "memo"
    before = {p.name for p in memo.rglob("*") if p.is_file()}
    edited = sorted(corpus.glob("*.txt"))[2]
    edited.write_text(edited.read_text(encoding="utf-8") + "\n记者走进伏口镇胡家坪村,村民李大年在采茶。\n",
                      encoding="utf-8")
    report = build(corpus, tmp_path / "after", cache=ExtractionCache(tmp_path / "cache"))
    assert report.reused == 4
    # the reduce stage redid the edited article's provenance and the graph's changed part(s) only
    added = {p.name for p in memo.rglob("*") if p.is_file()} - before
    assert 2 <= len(added) <= 3, added
    clean = build(corpus, tmp_path / "clean", cache=False)
    assert same_output(tmp_path / "after", tmp_path / "clean")
    assert report.violations == clean.violations


def test_builds_after_letting_go_of_the_dictionary_are_the_same(clean_build, tmp_path, monkeypatch):
    import jieba

    from kg import pipeline
    from kg.nlp import build_pipeline
    from kg.tagger import default_tagger

    monkeypatch.setattr(pipeline, "RELEASE_PIPELINE_AT", 1)
    build(ROOT / "seeds", tmp_path / "first", cache=False, validate=False)
    assert not jieba.dt.FREQ and not jieba.dt.initialized        # let go of after extraction,
    assert build_pipeline.cache_info().currsize == default_tagger.cache_info().currsize == 0   # with the pipeline
    build(ROOT / "seeds", tmp_path / "second", cache=False, validate=False)       # loaded again
    assert same_output(clean_build, tmp_path / "first") and same_output(clean_build, tmp_path / "second")


def test_kg_cache_prunes_what_no_build_used(tmp_path, capsys):
    import os

    from kg.cli import main
    cache = tmp_path / "cache"
    build(ROOT / "seeds", tmp_path / "out", cache=ExtractionCache(cache), validate=False)
    stores = ExtractionCache(cache).stores()
    entries = {name: store.entries() for name, store in stores.items()}
    assert len(entries["extractions"]) == 5 and len(entries["memo"]) == 5    # one provenance per article
    for path in entries["extractions"] + entries["memo"]:        # as if last used 40 days ago
        os.utime(path, (path.stat().st_atime, path.stat().st_mtime - 40 * 86_400))
    stale = entries["extractions"][0]
    assert main(["cache", "--dir", str(cache)]) == 0
    assert "extractions" in capsys.readouterr().out
    report = build(ROOT / "seeds", tmp_path / "out", cache=ExtractionCache(cache), validate=False)
    assert report.reused == 5            # ... and each reuse marks the entry as used today
    os.utime(stale, (stale.stat().st_atime, stale.stat().st_mtime - 40 * 86_400))
    assert main(["cache", "--prune", "30", "--dir", str(cache)]) == 0
    assert "deleted 1 entries" in capsys.readouterr().out
    assert not stale.exists() and len(stores["extractions"].entries()) == 4
    assert build(ROOT / "seeds", tmp_path / "out", cache=ExtractionCache(cache), validate=False).reused == 4
    assert main(["cache", "--prune", "0", "--dir", str(cache)]) == 0
    assert not any(store.entries() for store in stores.values())
    assert main(["cache", "--prune", "-1", "--dir", str(cache)]) == 2


def test_extraction_depends_only_on_the_files_its_cache_key_covers():
    """A module that extraction imports but the cache key leaves out would serve stale results."""
    code = ("import sys, kg.extract, kg.ingest, kg.nlp, kg.resolve; kg.nlp.build_pipeline(); "
            "print('\\n'.join(sorted(m for m in sys.modules if m == 'kg' or m.startswith('kg.'))))")
    modules = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                             cwd=ROOT).stdout.split()
    covered = {p.resolve() for pattern in EXTRACTION_SOURCES for p in PACKAGE.glob(pattern)}
    for name in modules:
        path = PACKAGE.parent.joinpath(*name.split("."))
        path = path / "__init__.py" if path.is_dir() else path.with_suffix(".py")
        assert path.resolve() in covered, f"{name} is used by extraction but not in EXTRACTION_SOURCES"


def _appears(path, seconds: float) -> bool:
    import time

    end = time.monotonic() + seconds
    while not path.exists():
        if time.monotonic() > end:
            return False
        time.sleep(0.01)
    return True


def test_a_task_started_before_the_parents_own_work_runs_beside_it_given_two_jobs(tmp_path):
    from kg.speed.parallel import Tasks

    with Tasks(jobs=2) as tasks:
        with tasks.alongside("early", lambda: (tmp_path / "two").write_text("x")):
            assert _appears(tmp_path / "two", seconds=60)     # the child ran while the parent waited
        tasks.start("late", lambda: "after")
        done, seconds = tasks.results()
    assert list(done) == ["early", "late"] and done["late"] == "after" and set(seconds) == {"early", "late"}
    with Tasks(jobs=1) as tasks:
        with tasks.alongside("early", lambda: (tmp_path / "one").write_text("x")):
            assert not _appears(tmp_path / "one", seconds=0.5)   # one job: the parent's work comes first
        tasks.results()
    assert (tmp_path / "one").exists()


def test_a_failing_task_is_raised_and_the_others_are_stopped(tmp_path):
    import time

    from kg.speed.parallel import Tasks

    def fail():
        raise ValueError("bad article")

    with pytest.raises(ValueError, match="bad article"):
        with Tasks(jobs=2) as tasks:
            tasks.start("slow", lambda: time.sleep(120))
            tasks.start("fail", fail)
            tasks.results()
    assert not tasks.running or all(not child.is_alive() for _, child in tasks.running.values())
