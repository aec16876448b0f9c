"""A build whose extraction runs on a Dask cluster is byte for byte the build of ``-j 1``.

The tests share one LocalCluster of two worker processes (each loads the pipeline once)
and build the seeds and a few generated articles, including ones the workers cannot
decode; ``kg build --dask local`` starts a cluster of its own.
"""
import os
import shutil
import socket
import subprocess
import sys
from contextlib import contextmanager

import pytest

from kg.speed.stored import ExtractionCache
from kg.cli import main
from kg.pipeline import build
from tests.conftest import ROOT, warm_cache_dir

distributed = pytest.importorskip("dask.distributed", reason="the dask extra is not installed")

#: Generated articles besides the seeds: GB18030 and HTML ones the workers decode, the same
#: article under a second name, and two files no worker can read as an article.
ARTICLES = {
    "gen/201_gb.txt": "山前乡东岭村驻村第一书记陈立新带领村民成立茶叶专业合作社，2019年全村23户贫困户脱贫。\n"
                      .encode("gb18030"),
    "gen/202_page.html": "<html><head><title>竹溪村的新路</title></head><body><nav>首页</nav><article><p>"
                         "竹溪村村民周小梅在扶贫车间务工，月收入2800元。</p></article></body></html>".encode(),
    "gen/203_binary.txt": bytes(range(256)) * 4,
    "gen/204_english.txt": b"Only English text here, no Chinese at all.\n",
}


def files_of(folder):
    """Every file of a build folder, by its path in it, with its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=":0") as cluster:
        yield cluster


@pytest.fixture(scope="module")
def client(cluster):
    with distributed.Client(cluster, set_as_default=False) as client:
        yield client


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("corpus")
    shutil.copytree(ROOT / "seeds", folder, dirs_exist_ok=True)
    (folder / "gen").mkdir()
    shutil.copy(min(folder.glob("*.txt")), folder / "gen" / "200_again.txt")
    for name, data in ARTICLES.items():
        (folder / name).write_bytes(data)
    return folder


@pytest.fixture(scope="module")
def reference(corpus, tmp_path_factory):
    """``kg build -j 1`` of the corpus, with no cache."""
    out = tmp_path_factory.mktemp("reference") / "out"
    report = build(corpus, out, jobs=1, cache=False, validate=False)
    assert len(report.skipped) == 2 and report.duplicates and report.articles == 7
    return out, report


def test_a_build_on_the_cluster_equals_a_local_one_and_sends_no_cached_article(client, corpus, reference, tmp_path):
    from kg.speed.dask import on_dask

    cache = tmp_path / "cache"
    with distributed.get_task_stream(client) as tasks:
        report = build(corpus, tmp_path / "first", cache=ExtractionCache(cache), validate=False,
                       extractor=on_dask(client))
    assert files_of(tmp_path / "first") == files_of(reference[0])
    assert report.skipped == reference[1].skipped        # each named with its reason, as in a local build
    workers = {t["worker"] for t in tasks.data if t["key"].startswith("_extract_chunk")}
    assert len(workers) == 2

    with distributed.get_task_stream(client) as tasks:
        again = build(corpus, tmp_path / "again", cache=ExtractionCache(cache), validate=False,
                      extractor=on_dask(client))
    assert again.reused == 8                             # all but the two unreadable files, which alone
    chunks = [t for t in tasks.data if t["key"].startswith("_extract_chunk")]
    assert len(chunks) == 2                              # are sent again (too short to share a chunk)
    assert files_of(tmp_path / "again") == files_of(reference[0])


def test_kg_build_with_a_scheduler_address_equals_a_local_build(cluster, corpus, reference, tmp_path, capsys):
    assert main(["build", str(corpus), "--out", str(tmp_path / "out"), "--dask", cluster.scheduler_address,
                 "--no-cache", "--no-validate"]) == 3     # files skipped
    assert files_of(tmp_path / "out") == files_of(reference[0])
    captured = capsys.readouterr()
    assert f"extracting on the Dask cluster at {cluster.scheduler_address}" in captured.out
    skipped = [line for line in captured.err.splitlines() if line.startswith("skipped ")]
    assert [line.split(":")[0] for line in skipped] == ["skipped gen/203_binary.txt", "skipped gen/204_english.txt"]


def test_a_users_patterns_reach_the_workers(cluster, tmp_path):
    """kg build --patterns on a cluster: the workers match the user's names as a local build
    does (the files travel with the chunks), and a build without them drops them again."""
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text("山阳县脱贫纪实\n\n近年来，云雾岭茗香坊与山阳县青禾岭村结对帮扶，收购村民的茶叶。\n",
                               encoding="utf-8")
    mine = tmp_path / "mine.jsonl"
    mine.write_text('{"label": "Enterprise", "pattern": "云雾岭茗香坊"}\n', encoding="utf-8")
    common = ["--no-cache", "--no-validate", "-q"]
    on_cluster = ["--dask", cluster.scheduler_address]
    for name, extra in (("local", ["--patterns", str(mine)]), ("dask", ["--patterns", str(mine), *on_cluster]),
                        ("plain", on_cluster)):
        assert main(["build", str(src), "--out", str(tmp_path / name), *common, *extra]) == 0
    assert files_of(tmp_path / "dask") == files_of(tmp_path / "local")
    assert "云雾岭茗香坊" in (tmp_path / "dask" / "kg.ttl").read_text(encoding="utf-8")
    assert "云雾岭茗香坊" not in (tmp_path / "plain" / "kg.ttl").read_text(encoding="utf-8")


def test_kg_build_on_a_local_cluster_of_its_own_equals_kg_build_j1(tmp_path):
    """On two short articles: the seeds would cost each new worker 1.5 s more, and the
    module's cluster extracts them already."""
    src = tmp_path / "in"
    src.mkdir()
    for name in ("gen/201_gb.txt", "gen/202_page.html"):
        (src / name.split("/")[1]).write_bytes(ARTICLES[name])
    assert main(["build", str(src), "--out", str(tmp_path / "j1"), "-j", "1", "--no-cache", "-q"]) == 0
    assert main(["build", str(src), "--out", str(tmp_path / "out"), "--dask", "local", "-j", "2",
                 "--no-cache", "-q"]) == 0
    assert files_of(tmp_path / "out") == files_of(tmp_path / "j1")


def test_kg_build_watch_sends_each_rebuilds_articles_to_the_cluster(cluster, tmp_path):
    import signal

    from tests.test_watch import _wait_for

    corpus = tmp_path / "seeds"
    shutil.copytree(ROOT / "seeds", corpus)
    log = tmp_path / "watch.log"
    with open(log, "w", encoding="utf-8") as out:
        proc = subprocess.Popen([sys.executable, "-m", "kg.cli", "build", str(corpus), "--out", str(tmp_path / "out"),
                                 "--dask", cluster.scheduler_address, "--watch", "--interval", "0.2"],
                                stdout=out, stderr=subprocess.STDOUT, cwd=ROOT,
                                env={**os.environ, "PAKG_CACHE_DIR": str(warm_cache_dir(tmp_path / "cache"))})
    try:
        _wait_for(log, "watching")
        with distributed.Client(cluster, set_as_default=False) as client, distributed.get_task_stream(client) as tasks:
            edited = sorted(corpus.glob("*.txt"))[1]
            edited.write_text(edited.read_text(encoding="utf-8") + "\n村民刘大山在扶贫车间上班。\n", encoding="utf-8")
            assert "(1 extracted)" in _wait_for(log, " rebuilt ")
        assert len([t for t in tasks.data if t["key"].startswith("_extract_chunk")]) == 1
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=60) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


@contextmanager
def on_the_workers(client, change, undo):
    """``change()`` run in every worker process of the shared cluster, ``undo()`` on leaving."""
    client.run(change)
    try:
        yield
    finally:
        client.run(undo)


def break_on_one_article():
    import kg.extract

    real = kg.extract.extract

    def failing(article, nlp=None):
        if article.source_file == "gen/201_gb.txt":
            raise ValueError("a bug met by one article")
        return real(article, nlp)

    failing.real = real
    kg.extract.extract = failing


def mend_extract():
    import kg.extract

    kg.extract.extract = kg.extract.extract.real


def test_an_article_a_worker_fails_on_is_one_line_naming_it_and_the_build_goes_on(cluster, client, tmp_path, capsys):
    corpus = tmp_path / "corpus"
    (corpus / "gen").mkdir(parents=True)
    shutil.copy(min((ROOT / "seeds").glob("*.txt")), corpus)
    (corpus / "gen" / "201_gb.txt").write_bytes(ARTICLES["gen/201_gb.txt"])
    with on_the_workers(client, break_on_one_article, mend_extract):
        code = main(["build", str(corpus), "--out", str(tmp_path / "out"), "--dask", cluster.scheduler_address,
                     "--no-cache", "--no-validate", "-q"])
    assert code == 3 and (tmp_path / "out" / "kg.ttl").is_file()
    (line,) = capsys.readouterr().err.strip().splitlines()[:-1]     # the last line counts the skipped files
    assert line.startswith("skipped gen/201_gb.txt: extraction failed (ValueError: a bug met by one article)")


def break_chunks():
    import kg.speed.dask

    kg.speed.dask._extract_one = None            # calling it raises TypeError


def mend_chunks():
    import kg.speed.parallel
    import kg.speed.dask

    kg.speed.dask._extract_one = kg.speed.parallel._extract_one


def test_a_chunk_a_worker_fails_on_fails_the_build_in_one_line(cluster, client, corpus, tmp_path, capsys):
    with on_the_workers(client, break_chunks, mend_chunks):
        code = main(["build", str(corpus), "--out", str(tmp_path / "out"), "--dask", cluster.scheduler_address,
                     "--no-cache", "-q"])
    assert code == 2 and not (tmp_path / "out").exists()
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "the dask cluster failed to extract" in err and "TypeError" in err


def test_a_worker_that_joins_with_other_pakg_code_is_refused_by_the_chunks_it_gets(client):
    from kg.speed.dask import DaskError, _extract_chunk

    with pytest.raises(DaskError, match=r"runs another pakg \(pipeline version [0-9a-f]{16}, this one 0{16}\)"):
        client.submit(_extract_chunk, [], "0000000000000000", pure=False).result()


def test_a_cluster_whose_worker_cannot_run_this_pakg_is_refused(tmp_path, capsys):
    """A worker started from a copy of the package: first without the ontology beside it (it
    cannot run pakg), then with one module changed (it runs another pakg)."""
    other = tmp_path / "other"
    shutil.copytree(ROOT / "kg", other / "kg", ignore=shutil.ignore_patterns("__pycache__"))
    with open(other / "kg" / "extract.py", "a", encoding="utf-8") as fh:
        fh.write("\n# a change of the extraction\n")
    out = tmp_path / "out"
    kg_build = ["build", str(ROOT / "seeds"), "--out", str(out), "--no-cache", "-q"]
    with distributed.LocalCluster(n_workers=0, protocol="tcp", dashboard_address=":0") as cluster:
        worker = subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_worker", cluster.scheduler_address,
                                   "--nthreads", "1", "--no-nanny", "--no-dashboard"],
                                  env={**os.environ, "PYTHONPATH": str(other)}, cwd=other,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            with distributed.Client(cluster, set_as_default=False) as client:
                client.wait_for_workers(1, timeout=60)
                (address,) = client.nthreads()
            without_ontology = main([*kg_build, "--dask", cluster.scheduler_address]), capsys.readouterr().err
            shutil.copytree(ROOT / "ontology", other / "ontology")
            changed = main([*kg_build, "--dask", cluster.scheduler_address]), capsys.readouterr().err
        finally:
            worker.terminate()
            worker.wait(timeout=30)
    assert not out.exists()
    for code, err in (without_ontology, changed):
        assert code == 2 and len(err.strip().splitlines()) == 1
    assert "the dask workers cannot run pakg (" in without_ontology[1] and "FileNotFoundError" in without_ontology[1]
    assert f"dask worker {address} runs another pakg" in changed[1] and "install the same pakg" in changed[1]


def test_an_unreachable_scheduler_is_one_line(tmp_path, capsys):
    import dask

    with socket.socket() as closed:          # a port nothing listens on
        closed.bind(("127.0.0.1", 0))
        address = f"tcp://127.0.0.1:{closed.getsockname()[1]}"
        with dask.config.set({"distributed.comm.timeouts.connect": "2s"}):
            code = main(["build", str(ROOT / "seeds"), "--out", str(tmp_path / "out"), "--dask", address, "-q"])
    assert code == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and f"cannot reach the dask scheduler at {address}" in err


def test_without_dask_the_option_says_what_to_install(tmp_path, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "dask.distributed", None)      # as if it were not installed
    assert main(["build", str(ROOT / "seeds"), "--out", str(tmp_path / "out"), "--dask", "local", "-q"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and 'pip install "pakg[dask]"' in err
