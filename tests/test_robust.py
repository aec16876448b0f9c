"""Real-world input: every bad file answered clearly, nothing lost, outputs always whole."""
import os
import shutil
import signal
import subprocess
import sys
import time

import pytest
from rdflib import Graph, Namespace
from rdflib.namespace import RDFS

from kg.cli import main
from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "tests" / "data"))
from make_bad_corpus import make  # noqa: E402

PA = Namespace("https://w3id.org/pakg/ontology#")


@pytest.fixture(scope="module")
def bad_build(tmp_path_factory):
    corpus = tmp_path_factory.mktemp("bad")
    expected = make(corpus, large=True)
    out = tmp_path_factory.mktemp("bad-out")
    proc = subprocess.run([sys.executable, "-m", "kg.cli", "build", str(corpus), "--out", str(out), "--no-cache"],
                          capture_output=True, text=True, cwd=ROOT)
    return corpus, out, expected, proc


def test_every_bad_file_is_named_with_its_reason_and_the_run_goes_on(bad_build):
    corpus, out, expected, proc = bad_build
    assert proc.returncode == 3, proc.stderr
    assert "Traceback" not in proc.stderr
    skipped = {ln.split(":")[0].removeprefix("skipped ").strip(): ln for ln in proc.stderr.splitlines()
               if ln.startswith("skipped ")}
    for name, (reason, _) in expected.items():
        if reason:
            assert name in skipped, f"{name} not reported"
            assert reason in skipped[name], skipped[name]
        else:
            assert name not in skipped, skipped.get(name)


def test_every_good_file_is_in_the_graph(bad_build):
    corpus, out, expected, proc = bad_build
    g = Graph().parse(out / "kg.ttl")
    labels = {str(o) for o in g.objects(None, RDFS.label)}
    for name, (reason, must_yield) in expected.items():
        if must_yield:
            assert must_yield in labels, f"{name}: {must_yield} missing"


def test_a_duplicate_is_read_once_with_both_files_recorded(bad_build):
    corpus, out, expected, proc = bad_build
    g = Graph().parse(out / "kg.ttl")
    files = {str(f) for art in g.subjects(PA.sourceFile, None) for f in g.objects(art, PA.sourceFile)
             if len(set(g.objects(art, PA.sourceFile))) == 2}
    assert files == {"utf8.txt", "duplicate_of_utf8.txt"}
    assert "read once" in proc.stdout


def test_other_files_are_ignored_with_a_note(bad_build):
    assert "photo.jpg" in bad_build[3].stdout


def test_strict_makes_a_skipped_file_an_error(tmp_path):
    (tmp_path / "in").mkdir()
    shutil.copy(ROOT / "seeds" / sorted(os.listdir(ROOT / "seeds"))[0], tmp_path / "in")
    (tmp_path / "in" / "empty.txt").write_bytes(b"")
    assert main(["build", str(tmp_path / "in"), "--out", str(tmp_path / "o1"), "-q", "--no-validate"]) == 3
    assert main(["build", str(tmp_path / "in"), "--out", str(tmp_path / "o2"), "-q", "--strict",
                 "--no-validate"]) == 1


def test_a_single_file_and_a_glob_are_inputs(tmp_path):
    seed = sorted((ROOT / "seeds").glob("*.txt"))[1]
    assert main(["build", str(seed), "--out", str(tmp_path / "one"), "-q", "--no-validate", "-f", "nt"]) == 0
    assert main(["build", str(ROOT / "seeds" / "00[01]_*.txt"), "--out", str(tmp_path / "two"), "-q",
                 "--no-validate", "-f", "nt"]) == 0
    g = Graph().parse(tmp_path / "two" / "kg.ttl")
    assert len(set(g.subjects(PA.sourceFile, None))) == 2


def test_output_inside_the_input_is_refused(tmp_path, capsys):
    (tmp_path / "in").mkdir()
    assert main(["build", str(tmp_path / "in"), "--out", str(tmp_path / "in" / "out"), "-q"]) == 2
    assert "inside the input" in capsys.readouterr().err
    assert main(["build", str(tmp_path / "nowhere"), "--out", str(tmp_path / "o"), "-q"]) == 2


def test_a_killed_build_leaves_the_previous_output_whole(tmp_path):
    """Kill a build at three moments; each time the folder holds the previous build, whole:
    as soon as it holds the output's lock (it clears what dead builds left), and one and
    three seconds after it made its staging folder beside the output (it read the files
    and went on to load the pipeline and extract). The moments are seen, not guessed from
    the clock alone: on a slow or busy machine too, each kill lands where it is meant to."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i in range(120):                # 600 articles (~18 s): the build runs well past the last kill
        for seed in sorted((ROOT / "seeds").glob("*.txt")):
            (corpus / f"{i:02d}_{seed.name}").write_text(seed.read_text(encoding="utf-8") + f"\n第{i}份。\n",
                                                         encoding="utf-8")
    out = tmp_path / "out"
    shutil.copytree(ROOT / "output", out)
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    lock = tmp_path / ".out.lock"
    for moment, then in (("locked", 0.0), ("staging", 1.0), ("staging", 3.0)):
        staged = set(tmp_path.glob(".out.building-*"))          # what earlier kills left
        proc = subprocess.Popen([sys.executable, "-m", "kg.cli", "build", str(corpus), "--out", str(out), "-q",
                                 "--no-cache"], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 300
        while not (lock.exists() and lock.read_text().strip() == str(proc.pid) if moment == "locked"
                   else set(tmp_path.glob(".out.building-*")) - staged):
            if proc.poll() is not None:
                pytest.skip("the build finished before it could be interrupted")
            assert time.monotonic() < deadline, f"the build never reached {moment}"
            time.sleep(0.01)
        time.sleep(then)
        if proc.poll() is not None:
            pytest.skip("the build finished before it could be interrupted")
        proc.send_signal(signal.SIGKILL)
        assert proc.wait() == -signal.SIGKILL
        after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
        assert after == before
        Graph().parse(out / "kg.ttl")
    leftovers = [p for p in tmp_path.iterdir() if p.name.startswith(".out.building-")]
    assert len(leftovers) <= 3          # a SIGKILLed run cannot clean up; the next run ignores them


def test_an_article_the_extractor_fails_on_is_reported_and_the_rest_built(tmp_path, monkeypatch):
    """A bug met by one article costs that article, named with the reason, not the build."""
    import kg.extract
    from kg.pipeline import build

    corpus = tmp_path / "in"
    shutil.copytree(ROOT / "seeds", corpus)
    real = kg.extract.extract

    def failing(article, nlp=None):
        if article.source_file.startswith("002_"):
            raise ValueError("list.remove(x): x not in list")
        return real(article, nlp)

    monkeypatch.setattr(kg.extract, "extract", failing)
    report = build(corpus, tmp_path / "out", cache=False, validate=False)
    assert report.articles == 4
    (name, reason), = report.skipped
    assert name.startswith("002_") and "extraction failed (ValueError" in reason
    assert "002_" not in (tmp_path / "out" / "kg.ttl").read_text(encoding="utf-8")


def test_swap_in_puts_the_new_file_in_place_and_leaves_the_old_one_behind(tmp_path):
    """kg.files.swap_in publishes the build: the target holds the new bytes, the old file
    is left at the staged name (the stage is deleted after), and a target that is a folder
    is refused as os.replace refuses it, not swapped into the stage."""
    from kg.files import _renameat2, swap_in

    (tmp_path / "new").write_bytes(b"new")
    (tmp_path / "out").write_bytes(b"old")
    swap_in(tmp_path / "new", tmp_path / "out")
    assert (tmp_path / "out").read_bytes() == b"new"
    if _renameat2 is not None:          # Linux: the names were exchanged
        assert (tmp_path / "new").read_bytes() == b"old"
    else:
        assert not (tmp_path / "new").exists()

    (tmp_path / "fresh").write_bytes(b"fresh")
    swap_in(tmp_path / "fresh", tmp_path / "none-yet")
    assert (tmp_path / "none-yet").read_bytes() == b"fresh" and not (tmp_path / "fresh").exists()

    (tmp_path / "folder").mkdir()
    (tmp_path / "folder" / "kept").write_bytes(b"kept")
    (tmp_path / "file").write_bytes(b"file")
    with pytest.raises(OSError):
        swap_in(tmp_path / "file", tmp_path / "folder")
    assert (tmp_path / "folder" / "kept").read_bytes() == b"kept" and (tmp_path / "file").read_bytes() == b"file"


def _seed_text(i: int = 0) -> bytes:
    return sorted((ROOT / "seeds").glob("*.txt"))[i].read_bytes()


def test_entries_that_are_no_files_are_each_named_and_the_rest_built(tmp_path):
    """A link that loops, a link to nothing, a FIFO, a folder that cannot be opened and a
    folder tree 1,200 deep: each is one line naming it (skipped, so --strict fails), the
    file under the deep tree is read, and nothing ends in a traceback."""
    corpus = tmp_path / "in"
    corpus.mkdir()
    (corpus / "good.txt").write_bytes(_seed_text())
    os.symlink("self.txt", corpus / "self.txt")                     # loops
    os.symlink("nowhere.txt", corpus / "dangling.txt")
    os.mkfifo(corpus / "pipe.txt")
    locked = corpus / "locked"
    locked.mkdir()
    (locked / "inside.txt").write_bytes(_seed_text(1))
    deep, chain = corpus, []
    for _ in range(1200):                 # os.makedirs and shutil.rmtree recurse: one level at a time
        deep = deep / "d"
        os.mkdir(deep)
        chain.append(deep)
    (deep / "deep.txt").write_bytes(_seed_text(2))
    locked.chmod(0)
    try:
        proc = subprocess.run([sys.executable, "-m", "kg.cli", "build", str(corpus), "--out", str(tmp_path / "o"),
                               "--no-cache", "--no-validate", "-f", "nt"], capture_output=True, text=True, cwd=ROOT,
                              timeout=600)
        strict = main(["build", str(corpus), "--out", str(tmp_path / "o2"), "-q", "--strict", "--no-validate",
                       "-f", "nt"])
    finally:
        locked.chmod(0o755)
        (deep / "deep.txt").unlink()
        for folder in reversed(chain):
            os.rmdir(folder)
    assert "Traceback" not in proc.stderr, proc.stderr[-3000:]
    skipped = {ln.split(":")[0].removeprefix("skipped ").strip(): ln for ln in proc.stderr.splitlines()
               if ln.startswith("skipped ")}
    assert "a link that loops" in skipped["self.txt"]
    assert "a link to nothing" in skipped["dangling.txt"]
    assert "FIFO" in skipped["pipe.txt"]
    if os.geteuid() != 0:                         # root reads any folder
        assert "folder cannot be read" in skipped["locked"]
    assert proc.returncode == 3 and strict == 1
    g = Graph().parse(tmp_path / "o" / "kg.ttl")
    files = {str(f) for f in g.objects(None, PA.sourceFile)}
    assert "good.txt" in files and any(f.endswith("/deep.txt") for f in files)


def test_a_file_name_that_is_not_utf8_is_read_and_shown_escaped(tmp_path):
    corpus = tmp_path / "in"
    corpus.mkdir()
    bad = os.fsencode(str(corpus)) + b"/bad\xffname.txt"
    with open(bad, "wb") as fh:
        fh.write(_seed_text())
    proc = subprocess.run([sys.executable, "-m", "kg.cli", "build", str(corpus), "--out", str(tmp_path / "o"),
                           "--no-cache", "--no-validate"], capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr[-3000:]
    g = Graph().parse(tmp_path / "o" / "kg.ttl")
    assert {str(f) for f in g.objects(None, PA.sourceFile)} == {"bad\\xffname.txt"}


@pytest.mark.parametrize("what", ["empty folder", "a lone picture", "only bad files"])
def test_an_input_with_no_article_exits_2_and_leaves_the_last_build(tmp_path, capsys, what):
    out = tmp_path / "out"
    good = tmp_path / "good"
    good.mkdir()
    (good / "a.txt").write_bytes(_seed_text())
    assert main(["build", str(good), "--out", str(out), "-q", "--no-validate", "-f", "nt"]) == 0
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    corpus = tmp_path / "in"
    corpus.mkdir()
    if what == "a lone picture":
        (corpus / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    elif what == "only bad files":
        (corpus / "empty.txt").write_bytes(b"")
        (corpus / "binary.txt").write_bytes(bytes(range(256)) * 8)
    capsys.readouterr()
    assert main(["build", str(corpus), "--out", str(out), "-q", "--no-validate", "-f", "nt"]) == 2
    assert "no article could be read" in capsys.readouterr().err
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out.building-")]


def test_files_whose_names_slug_alike_are_different_articles(tmp_path):
    """The article's IRI comes from its whole relative path: these pairs once became one
    article node with two titles."""
    corpus = tmp_path / "in"
    (corpus / "sub").mkdir(parents=True)
    names = ["dup.txt", "dup.html", "with space.txt", "with-space.txt", "sub/x.txt", "sub-x.txt", "涟源.txt",
             "lian yuan.txt"]
    for i, name in enumerate(names):
        text = _seed_text(i % 5).decode("utf-8") + f"\n第{i + 1}篇。\n"
        if name.endswith(".html"):
            text = f"<html><body><h1>标题{i}</h1><p>{text}</p></body></html>"
        (corpus / name).write_text(text, encoding="utf-8")
    assert main(["build", str(corpus), "--out", str(tmp_path / "o"), "-q", "--no-validate", "-f", "nt"]) == 0
    g = Graph().parse(tmp_path / "o" / "kg.ttl")
    articles = set(g.subjects(PA.sourceFile, None))
    assert len(articles) == len(names)
    assert sorted(str(f) for a in articles for f in g.objects(a, PA.sourceFile)) == sorted(names)


def _files(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_full_disk_leaves_the_last_build_and_says_so_in_one_line(tmp_path, seeds_build):
    """On a small tmpfs (a mount namespace of its own), a build fills the disk: one line
    says so, the exit status is 1, and the folder holds the last build byte for byte.
    The last build is the session's build of the seeds, copied in (building it there
    again took a subprocess's 4 s and proved nothing the second build does not); the second
    build finds the seeds' extractions where the session's build left them in the cache: it
    is the writing that fills the disk."""
    unshare = shutil.which("unshare")
    if not unshare or subprocess.run([unshare, "-m", "true"], capture_output=True).returncode != 0:
        if os.environ.get("CI") == "true" and os.geteuid() == 0:
            pytest.fail("unshare -m is needed for the disk-full test")
        pytest.skip("needs root and unshare -m for a tmpfs of its own")
    disk, keep = tmp_path / "disk", tmp_path / "kept"
    disk.mkdir()
    kg = f"{sys.executable} -m kg.cli build {ROOT / 'seeds'} -q --out {disk}/out"
    script = f"""
set -u
mount -t tmpfs -o size=12m tmpfs {disk}
cp -a {seeds_build} {disk}/out; echo "first $?"
cp -a {disk}/out {keep}
free=$(df -k {disk} | tail -1 | awk '{{print $4}}')
dd if=/dev/zero of={disk}/filler bs=1k count=$((free - 200)) 2>/dev/null
{kg}; echo "second $?"
cmp -s <(cd {disk}/out && find . -type f | sort | xargs cat) <(cd {keep} && find . -type f | sort | xargs cat) \
  && echo same || echo changed
ls -a {disk}
"""
    done = subprocess.run([unshare, "-m", "bash", "-c", script], capture_output=True, text=True, cwd=ROOT,
                          timeout=900)
    assert "first 0" in done.stdout and "second 1" in done.stdout, (done.stdout, done.stderr[-2000:])
    assert "same" in done.stdout.splitlines()
    assert "building" not in done.stdout                      # no half-written folder left beside it
    lines = [ln for ln in done.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and "No space left on device" in lines[0] and "Traceback" not in done.stderr


def test_a_failure_to_publish_is_one_line_and_the_last_build_stays(tmp_path, capsys, monkeypatch):
    import errno

    import kg.pipeline

    out = tmp_path / "out"
    assert main(["build", str(ROOT / "seeds"), "--out", str(out), "-q", "--no-validate", "-f", "nt"]) == 0
    before = _files(out)

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", str(out))
    monkeypatch.setattr(kg.pipeline, "_publish", full)
    capsys.readouterr()
    assert main(["build", str(ROOT / "seeds"), "--out", str(out), "-q", "--no-validate", "-f", "nt"]) == 1
    err = capsys.readouterr().err
    assert "No space left on device" in err and "left as the last build made it" in err
    assert _files(out) == before


def test_an_output_that_is_a_file_is_a_usage_error(tmp_path, capsys):
    (tmp_path / "file").write_text("x")
    assert main(["build", str(ROOT / "seeds"), "--out", str(tmp_path / "file"), "-q"]) == 2
    assert main(["build", str(ROOT / "seeds"), "--out", str(tmp_path / "file" / "sub"), "-q"]) == 2
    assert capsys.readouterr().err.count("is a file, not a folder") == 2


def test_ctrl_c_during_a_build_is_one_line_and_leaves_the_last_build(tmp_path):
    corpus = tmp_path / "in"
    corpus.mkdir()
    for i in range(40):                      # long enough to be stopped halfway
        (corpus / f"a{i:02d}.txt").write_bytes(_seed_text(i % 5) + f"\n第{i}篇。\n".encode())
    out = tmp_path / "out"
    assert main(["build", str(ROOT / "seeds"), "--out", str(out), "-q", "--no-validate", "-f", "nt"]) == 0
    before = _files(out)
    for wait in (1.0, 3.0):                  # while loading the pipeline, and while extracting
        proc = subprocess.Popen([sys.executable, "-m", "kg.cli", "build", str(corpus), "--out", str(out),
                                 "-q", "--no-cache", "--no-validate", "-f", "nt"], cwd=ROOT,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(wait)
        proc.send_signal(signal.SIGINT)
        stdout, stderr = proc.communicate(timeout=300)
        assert proc.returncode == 130, (wait, stderr[-2000:])
        assert "Traceback" not in stderr and "interrupted" in stderr, stderr[-2000:]
        assert _files(out) == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out.building-")]


def test_a_build_replaces_the_whole_folder_in_one_step(tmp_path):
    """No file of an earlier build stays (a --format nt build after a full one leaves no
    kg.jsonld, no neo4j/), and the folder is swapped in one rename: its inode changes."""
    out = tmp_path / "out"
    assert main(["build", str(ROOT / "seeds"), "--out", str(out), "-q", "--no-validate"]) == 0
    assert (out / "kg.jsonld").exists() and (out / "neo4j").is_dir()
    (out / "mine.txt").write_text("left by hand")
    inode = out.stat().st_ino
    assert main(["build", str(ROOT / "seeds"), "--out", str(out), "-q", "--no-validate", "-f", "nt"]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["graph.html", "kg.nt", "kg.ttl", "ontology.ttl",
                                                      "provenance.ttl"]
    assert out.stat().st_ino != inode
    assert oct(out.stat().st_mode & 0o777) != oct(0o700)          # readable as an output folder is


def test_a_second_build_into_the_same_folder_is_refused_while_one_runs(tmp_path, capsys):
    import fcntl

    out = tmp_path / "out"
    with open(tmp_path / ".out.lock", "a+") as held:            # as a running build holds it
        fcntl.flock(held, fcntl.LOCK_EX)
        held.write("12345\n")
        held.flush()
        assert main(["build", str(ROOT / "seeds"), "--out", str(out), "-q", "--no-validate", "-f", "nt"]) == 2
        assert "another build (process 12345) is writing" in capsys.readouterr().err
        assert not out.exists()
    assert main(["build", str(ROOT / "seeds"), "--out", str(out), "-q", "--no-validate", "-f", "nt"]) == 0


def test_what_dead_builds_left_is_removed_by_the_next(tmp_path):
    out = tmp_path / "out"
    for name in (".out.building-dead1", ".out.building-dead2"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "kg.ttl").write_text("half")
    assert main(["build", str(ROOT / "seeds"), "--out", str(out), "-q", "--no-validate", "-f", "nt"]) == 0
    assert not [p for p in tmp_path.iterdir() if ".building-" in p.name]


def test_a_folder_of_other_files_is_never_replaced(tmp_path, capsys):
    mine = tmp_path / "documents"
    mine.mkdir()
    (mine / "notes.txt").write_text("mine")
    assert main(["build", str(ROOT / "seeds"), "--out", str(mine), "-q", "--no-validate", "-f", "nt"]) == 2
    assert "holds other files" in capsys.readouterr().err
    assert [p.name for p in mine.iterdir()] == ["notes.txt"]


def test_an_article_of_over_a_million_characters_is_built(tmp_path):
    """spaCy refuses texts over 1,000,000 characters by default (it was reported as a bug
    in pakg); an article may be as long as the 20 MB limit says."""
    corpus = tmp_path / "in"
    corpus.mkdir()
    seed = _seed_text().decode("utf-8")
    (corpus / "long.txt").write_text(seed + "\n" * 1_100_000 + seed.replace("。", "。\n"), encoding="utf-8")
    assert main(["build", str(corpus), "--out", str(tmp_path / "o"), "-q", "--no-cache", "--no-validate",
                 "-f", "nt"]) == 0


def test_random_high_bytes_are_no_gb18030_article(tmp_path, capsys):
    import random

    corpus = tmp_path / "in"
    corpus.mkdir()
    rng = random.Random(7)
    (corpus / "noise.txt").write_bytes(bytes(rng.randrange(0x81, 0xff) for _ in range(8192)))
    (corpus / "good.txt").write_bytes(_seed_text().decode("utf-8").encode("gb18030"))
    assert main(["build", str(corpus), "--out", str(tmp_path / "o"), "-q", "--no-validate", "-f", "nt"]) == 3
    err = capsys.readouterr().err
    assert "noise.txt" in err and "good.txt" not in err


def test_c1_control_characters_do_not_reach_the_outputs(tmp_path):
    corpus = tmp_path / "in"
    corpus.mkdir()
    text = _seed_text().decode("utf-8")
    (corpus / "c1.txt").write_text(text[:200] + "\u0085村民\u009b" + text[200:], encoding="utf-8")
    assert main(["build", str(corpus), "--out", str(tmp_path / "o"), "-q", "--no-validate", "-f", "nt"]) == 0
    for name in ("kg.ttl", "provenance.ttl", "kg.nt"):
        body = (tmp_path / "o" / name).read_text(encoding="utf-8")
        assert "\u0085" not in body and "\u009b" not in body, name
    # the page inlines vis-network, whose code holds a "\u0085" of its own: no more than that
    page = (tmp_path / "o" / "graph.html").read_text(encoding="utf-8")
    library = (ROOT / "output" / "graph.html").read_text(encoding="utf-8")
    assert (page.count("\u0085"), page.count("\u009b")) == (library.count("\u0085"), library.count("\u009b"))
