"""A process that builds again and again (``kg build --watch``) writes what a clean build writes."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kg.speed.stored import ExtractionCache
from kg.pipeline import build
from tests.conftest import ROOT, once_per_run, warm_cache_dir

sys.path.insert(0, str(ROOT / "bench"))


def same_folders(a: Path, b: Path) -> list[str]:
    """The files that differ between two build folders (or are in one only)."""
    files = {p.relative_to(a).as_posix() for p in a.rglob("*") if p.is_file()}
    files |= {p.relative_to(b).as_posix() for p in b.rglob("*") if p.is_file()}
    return sorted(f for f in files if not ((a / f).is_file() and (b / f).is_file()
                                         and (a / f).read_bytes() == (b / f).read_bytes()))


def _make_corpus(folder: Path) -> None:
    from corpus import make_corpus

    make_corpus(0.12, folder, seed=3)
    for seed in sorted((ROOT / "seeds").glob("*.txt"))[:2]:
        shutil.copy(seed, folder / seed.name)
    (folder / ".complete").unlink()


@pytest.fixture
def corpus(tmp_path, tmp_path_factory) -> Path:
    """Twenty-odd articles recombined from the seeds with gazetteer names (bench/corpus.py):
    the same counties, programs and people recur across them, as in a real corpus.  Made
    once for the run (make_corpus extracts the seeds: ~4 s), each test edits its own copy."""
    folder = tmp_path / "corpus"
    shutil.copytree(once_per_run(tmp_path_factory, "watch-corpus", _make_corpus), folder)
    return folder


class CleanExtractions:
    """The extractor of the clean builds a test compares with: ``kg.speed.parallel``'s own
    extraction of each file, in this process, made once per test for each name and bytes
    (an extraction is a function of those alone) and taken again by the later clean builds
    of the same test.  Those builds have no cache, no memo and no resident state: what a
    watching process remembers, they make anew; only the unchanged files' extraction is not
    redone at each edit (7 clean builds of 21 articles took 28 s of the test)."""

    def __init__(self):
        self.made: dict[tuple[str, bytes], object] = {}

    def __call__(self, items):
        from kg.ingest import source_name
        from kg.speed.parallel import SourceFile, _extract_one

        for item in items:
            assert isinstance(item, SourceFile)            # a build with cache=False reads each file
            key = (source_name(item.path, item.root), item.data)
            if key not in self.made:
                self.made[key] = _extract_one(item)
            yield self.made[key]


def edits(corpus: Path):
    """Edits a user makes, one after another: each yields what it did."""
    files = sorted(corpus.glob("*.txt"))
    first, second, third = files[0], files[1], files[2]
    first.write_text(first.read_text(encoding="utf-8") + "\n驻村第一书记王新民带领村民发展黄桃产业。\n", encoding="utf-8")
    yield "a sentence added"
    second.unlink()
    yield "an article removed"
    shutil.copy(third, corpus / "copy-of-third.txt")
    yield "the same article under a second name"
    third.rename(corpus / "renamed.txt")
    yield "an article renamed"
    text = files[3].read_text(encoding="utf-8")
    files[3].write_text(text[: len(text) // 2], encoding="utf-8")
    yield "half an article cut"
    text = files[4].read_text(encoding="utf-8")
    files[4].write_text("\n" + text, encoding="utf-8")           # the same sentences, one character later
    yield "an article moved down a line"
    (corpus / "new.txt").write_text((ROOT / "seeds" / sorted(p.name for p in (ROOT / "seeds").glob("*.txt"))[4])
                                    .read_text(encoding="utf-8"), encoding="utf-8")
    yield "a seed article added"


def test_each_build_of_a_resident_process_equals_a_clean_build(corpus, tmp_path):
    store = ExtractionCache(tmp_path / "cache", keep=True)
    build(corpus, tmp_path / "resident", cache=store)
    extractions = CleanExtractions()
    for what in edits(corpus):
        report = build(corpus, tmp_path / "resident", cache=store)
        clean = build(corpus, tmp_path / "clean", cache=False, extractor=extractions)
        assert same_folders(tmp_path / "resident", tmp_path / "clean") == [], what
        assert report.violations == clean.violations and report.triples == clean.triples, what
        assert report.reused >= report.articles - 1, what          # one article extracted at most
        shutil.rmtree(tmp_path / "clean")


def test_a_resident_process_lets_go_of_what_no_build_uses(corpus, tmp_path):
    store = ExtractionCache(tmp_path / "cache", keep=True)
    build(corpus, tmp_path / "out", cache=store, validate=False)
    kept = len(store.store.kept.items)
    assert kept == len(list(corpus.glob("*.txt")))
    victim = sorted(corpus.glob("*.txt"))[0]
    for n in range(3):                  # three versions of one article: only the last is kept
        victim.write_text(victim.read_text(encoding="utf-8") + f"\n第{n}段。\n", encoding="utf-8")
        build(corpus, tmp_path / "out", cache=store, validate=False)
    assert len(store.store.kept.items) == kept


def test_a_resident_process_reads_again_only_the_files_that_changed(corpus, tmp_path, monkeypatch):
    """A watching process takes a file whose inode, size and times are those it had when
    a build found its extraction for it unread; an edit that keeps the size and puts the
    modification time back is still seen (the change time moves), and the build equals
    a clean one."""
    import kg.pipeline

    store = ExtractionCache(tmp_path / "cache", keep=True)
    build(corpus, tmp_path / "out", cache=store, validate=False)     # extracted
    # files changed within the last second are read every time: the newest is older by now
    # (the build took longer), or this waits until it is
    newest = max(max(p.stat().st_mtime_ns, p.stat().st_ctime_ns) for p in corpus.glob("*.txt"))
    time.sleep(max(0.0, (newest + 1_100_000_000 - time.time_ns()) / 1e9))
    build(corpus, tmp_path / "out", cache=store, validate=False)     # found: their times noted
    edited = sorted(corpus.glob("*.txt"))[5]
    text, st = edited.read_text(encoding="utf-8"), edited.stat()
    i = text.index("县")
    edited.write_text(text[:i] + "区" + text[i + 1:], encoding="utf-8")      # as many bytes
    os.utime(edited, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert edited.stat().st_size == st.st_size and edited.stat().st_mtime_ns == st.st_mtime_ns
    read = []
    monkeypatch.setattr(kg.pipeline, "read_bytes", lambda path: read.append(path) or path.read_bytes())
    build(corpus, tmp_path / "out", cache=store, validate=False)
    assert read == [edited]
    build(corpus, tmp_path / "clean", cache=False, validate=False)
    assert same_folders(tmp_path / "out", tmp_path / "clean") == []


def _wait_for(log: Path, text: str, count: int = 1, timeout: float = 180) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        seen = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
        if seen.count(text) >= count:
            return seen
        time.sleep(0.2)
    raise AssertionError(f"no {text!r} ({count}x) after {timeout} s:\n{seen}")


def test_kg_build_watch_rebuilds_on_each_change(tmp_path):
    corpus = tmp_path / "seeds"
    shutil.copytree(ROOT / "seeds", corpus)
    log = tmp_path / "watch.log"
    env = {**os.environ, "PAKG_CACHE_DIR": str(warm_cache_dir(tmp_path / "cache"))}
    with open(log, "w", encoding="utf-8") as out:
        proc = subprocess.Popen([sys.executable, "-m", "kg.cli", "build", str(corpus), "--out", str(tmp_path / "out"),
                                 "--watch", "--interval", "0.2"], stdout=out, stderr=subprocess.STDOUT, env=env,
                                cwd=ROOT)
    try:
        _wait_for(log, "watching")
        edited = sorted(corpus.glob("*.txt"))[1]
        edited.write_text(edited.read_text(encoding="utf-8") + "\n村民刘大山在扶贫车间上班。\n", encoding="utf-8")
        seen = _wait_for(log, " rebuilt ")
        assert "(1 extracted)" in seen
        build(corpus, tmp_path / "clean", cache=False)
        assert same_folders(tmp_path / "out", tmp_path / "clean") == []
        (corpus / "notes.txt").write_bytes(b"\xff\xfe\x00broken")          # bad input: named, and the watch goes on
        seen = _wait_for(log, " rebuilt ", 2)
        assert "skipped" in seen and "notes.txt" in seen
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=30) == 0
        assert _wait_for(log, "stopped")
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()



PAD = "https://w3id.org/pakg/id/"


def _random_part(rng, src: str):
    """An article's share of a resolution over a small pool of IRIs, so that articles share
    entities, disagree on labels and types (a person who is a cadre here, a villager there)
    and set admin codes in both ways."""
    from decimal import Decimal

    from kg.records import Observation, Relation
    from kg.resolve import ArticleResolution, EntityPart

    iris = rng.sample([f"{PAD}person/e{i}" for i in range(12)], rng.randint(1, 6))
    entities = tuple(EntityPart(
        iri, rng.choice(["Cadre", "Resident"]), rng.choice(["甲", "乙"]) + iri[-1],
        tuple(rng.sample(["甲", "乙", "丙", "甲" + iri[-1]], 2)),
        tuple(object() for _ in range(rng.randint(0, 2))),       # none: a background place
        tuple(rng.sample(["书记", "主任", "村民"], rng.randint(0, 2))),
        rng.choice([None, f"{PAD}kind1", f"{PAD}kind2"]),
        tuple((rng.random() < 0.5, rng.choice("123")) for _ in range(rng.randint(0, 2))))
        for iri in iris)
    relations = tuple({(Relation(rng.choice(iris), rng.choice(["servesIn", "locatedIn"]), rng.choice(iris)),
                        rng.randint(-1, 3), "rule"): None for _ in range(rng.randint(0, 4))})
    observations = tuple(Observation(f"{PAD}observation/o{rng.randint(0, 5)}", rng.choice(iris), "PeopleLifted",
                                     2019, Decimal(rng.randint(1, 3)), "人", src, None, "rule")
                         for _ in range(rng.randint(0, 2)))
    return ArticleResolution(src, entities, relations, observations)


def _edit(rng, corpus: dict) -> str:
    edit = rng.choice(["edit", "remove", "add", "none"])
    if edit == "edit" or (edit == "remove" and len(corpus) > 1):
        src = rng.choice(sorted(corpus))
        if edit == "edit":
            corpus[src] = _random_part(rng, src)
        else:
            del corpus[src]
    elif edit == "add":
        src = f"{rng.randint(10, 99)}.txt"
        corpus[src] = _random_part(rng, src)
    return edit


def test_the_merger_after_each_edit_equals_a_merge_of_the_same_shares():
    import random

    from kg.resolve import merge
    from kg.speed.incremental import Merger

    rng = random.Random(8)
    for trial in range(30):
        corpus = {f"{i}.txt": _random_part(rng, f"{i}.txt") for i in range(rng.randint(4, 9))}
        merger = Merger()
        assert merger(list(corpus.values())) == merge(list(corpus.values()))
        for _ in range(8):
            edit = _edit(rng, corpus)
            parts = rng.sample(list(corpus.values()), len(corpus))        # in any order
            got, want = merger(parts), merge(parts)
            assert got.entities == want.entities, (trial, edit)
            assert (got.relations, got.observations, got.sources) == want[1:], (trial, edit)


def test_graph_lines_after_each_edit_equal_the_lines_made_anew():
    import random

    from kg.rdf import graph_lines
    from kg.records import Article
    from kg.speed.incremental import GraphLines, Merger

    rng = random.Random(5)
    corpus = {f"{i}.txt": _random_part(rng, f"{i}.txt") for i in range(8)}
    merger, lines = Merger(), GraphLines()
    for step in range(40):
        edit = _edit(rng, corpus)
        entities, relations, observations, _ = merger(list(corpus.values()))
        articles = [Article(s, "", "", [], title=rng.choice(["", "题"])) for s in sorted(corpus)]
        assert lines(articles, entities, relations, observations) == \
            graph_lines(articles, entities, relations, observations), (step, edit)


def test_runs_cut_again_after_each_edit_equal_the_runs_cut_anew():
    """kg.speed.incremental.runs_again reuses the last build's runs of subjects: after lines added to
    and taken from subjects, whole subjects added and removed (run ends among them), it
    cuts what subject_runs cuts."""
    import random

    from kg.speed.incremental import runs_again, subject_runs

    rng = random.Random(4)
    lines = sorted({f"<s{rng.randrange(400)}> <p{rng.randrange(4)}> {rng.randrange(9)} ." for _ in range(2000)})
    last = subject_runs(lines, every=4)
    assert runs_again(last, lines, every=4) == last
    for step in range(300):
        new = set(lines)
        for _ in range(rng.randint(1, 6)):
            line = rng.choice(lines)
            subject = line.split(" ")[0]
            what = rng.randrange(4)
            if what == 0:
                new.discard(line)                                       # a line less
            elif what == 1:
                new.add(f"{subject} <p9> {step} .")                     # a line more
            elif what == 2:
                new -= {x for x in new if x.startswith(subject + " ")}  # a subject gone
            else:
                new.add(f"<n{step}-{rng.randrange(99)}> <p0> 0 .")       # a new subject
        new = sorted(new)
        again = runs_again(last, new, every=4)
        assert again == subject_runs(new, every=4), step
        lines, last = new, again


def test_a_resident_process_keeps_jiebas_dictionary(tmp_path, monkeypatch):
    """A large build lets go of jieba's dictionary once it has extracted; a watching one
    will extract again at the next edit, so it keeps it."""
    import jieba

    from kg import pipeline
    from kg.nlp import build_pipeline

    monkeypatch.setattr(pipeline, "RELEASE_PIPELINE_AT", 1)
    build(ROOT / "seeds", tmp_path / "out", cache=ExtractionCache(tmp_path / "cache", keep=True), validate=False)
    assert jieba.dt.FREQ and jieba.dt.initialized and build_pipeline.cache_info().currsize == 1


def test_shares_come_back_from_pickles_the_same_with_their_strings_shared():
    """Extractions and shares travel pickled (from the workers, from the cache); unpickled,
    two articles' copies of a county's IRI and names are one string (hundreds of MB at 100 MB)."""
    import pickle

    from kg.speed.parallel import _extract_one
    from kg.ingest import read_article

    seed = sorted((ROOT / "seeds").glob("*.txt"))[0]
    ex = _extract_one(read_article(seed, ROOT / "seeds"))
    first, second = pickle.loads(pickle.dumps(ex)), pickle.loads(pickle.dumps(ex))
    assert first == ex and first.mentions and first.relations and first.figures
    assert all(x.name is y.name and x.type is y.type and x.found_by is y.found_by
               for x, y in zip(first.mentions, second.mentions))
    assert all(x.subject is y.subject for x, y in zip(first.relations, second.relations))
    assert all(x.indicator is y.indicator for x, y in zip(first.figures, second.figures))
    a, b = first.resolution, second.resolution
    assert len(a.entities) > 5 and a.relations and a.observations
    assert all(x.iri is y.iri and x.label is y.label for x, y in zip(a.entities, b.entities))
    assert all(c[1] is d[1] for x, y in zip(a.entities, b.entities) for c, d in zip(x.codes, y.codes) if c[1])
    assert any(x.codes for x in a.entities)
    assert all(x[0].subject is y[0].subject for x, y in zip(a.relations, b.relations))
    assert all(x.area is y.area for x, y in zip(a.observations, b.observations))


def test_ready_loads_what_the_first_rebuild_would():
    """kg build --watch calls ready() before it watches: the first article a rebuild
    extracts must not pay for loading the pipeline, jieba's tables or the lexicons."""
    code = ("from kg.speed.watch import ready; ready(); "
            "from kg.nlp import build_pipeline; from kg.lexicon import function_word_tags; "
            "print(build_pipeline.cache_info().currsize, function_word_tags.cache_info().currsize)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.split() == ["1", "1"]
