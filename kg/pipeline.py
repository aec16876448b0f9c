"""The whole build, stage by stage: files → articles → mentions → entities → RDF → files.

Read this top to bottom to follow an article from disk to triple; each stage lives in
its own module and can be called on its own.
"""
from __future__ import annotations

import gc
import os
import shutil
import sys
import tempfile
import threading
import time
from collections import Counter
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable

from . import provenance, viz
from .export import copy_ontology, write_formats
from .files import exchange, swap_in, write_atomic
from .formats import FORMATS, trig_graph, trig_head
from .speed.parallel import ExtractionFailure, Extractor, SourceFile, Tasks, extract_all, in_processes
from .speed.stored import ExtractionCache
from .ingest import ArticleError, read_bytes, scan, source_name, source_root
from .lineindex import LineIndex
from .memory import collector_paused, trim_heap
from .ntriples import turtle_parts
from .records import Article, ArticleExtraction
from .remember import remembering
from .rdf import graph_lines
from .resolve import resolve
from .validate import engine_started, validate_lines


#: From this many articles on, the build lets go of the pipeline once they are extracted
#: (jieba's dictionary, spaCy with its vocabulary, the tagger): ~200 MB that the writers
#: would carry, against 2-3 s to load it again should the same process build again (tests,
#: notebooks; a large corpus's build takes minutes).
RELEASE_PIPELINE_AT = 2_000


@dataclass
class BuildReport:
    articles: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)   # (file, reason)
    entities: Counter = field(default_factory=Counter)              # type -> count
    background: int = 0
    relations: Counter = field(default_factory=Counter)
    observations: int = 0
    triples: int = 0
    written: list[Path] = field(default_factory=list)
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (file, the file it repeats)
    ignored: list[str] = field(default_factory=list)                # files that are no articles
    violations: list = field(default_factory=list)                  # SHACL violations of the graph
    timings: dict[str, float] = field(default_factory=dict)         # stage -> seconds
    reused: int = 0                                                 # articles whose extraction was cached

    @contextmanager
    def clock(self, stage: str):
        """Time a stage (``bench/`` reports each stage's share)."""
        start = time.perf_counter()
        try:
            yield
        finally:
            self.timings[stage] = self.timings.get(stage, 0.0) + time.perf_counter() - start

    def count(self, entities: dict, relations: list, observations: list, lines: list[str]) -> None:
        """What the build made: entities by type (those no article mentions are background),
        relations by predicate, key figures and triples."""
        for e in entities.values():
            if e.articles:
                self.entities[e.type] += 1
            else:
                self.background += 1
        self.relations = Counter(r.predicate for r in relations)
        self.observations = len(observations)
        self.triples = len(lines)


def build(input_dir: Path, out_dir: Path, progress: Callable | None = None, jobs: int = 1,
          cache: bool | ExtractionCache = True, validate: bool = True,
          formats: tuple[str, ...] = FORMATS, extractor: Extractor | None = None) -> BuildReport:
    """Build the knowledge graph of every article under ``input_dir`` into ``out_dir``.

    One build writes into ``out_dir`` at a time (a lock file beside it; another raises
    :class:`BuildInProgress`), and clears what dead builds left beside it first."""
    with _locked(Path(out_dir)):
        return _build(input_dir, out_dir, progress, jobs, cache, validate, formats, extractor)


def _build(input_dir: Path, out_dir: Path, progress: Callable | None = None, jobs: int = 1,
           cache: bool | ExtractionCache = True, validate: bool = True,
           formats: tuple[str, ...] = FORMATS, extractor: Extractor | None = None) -> BuildReport:
    """Build the knowledge graph of every article under ``input_dir`` into ``out_dir``.

    ``progress(iterable, total, description)`` wraps the per-article loop (a progress bar
    in the CLI); by default the loop runs silently.  ``jobs`` processes extract articles
    and write the files; ``extractor`` extracts them elsewhere instead (on a Dask cluster:
    :func:`kg.speed.dask.on_dask`); ``cache`` reuses the extraction of articles seen
    before (see :mod:`kg.speed.stored`); ``validate`` checks the graph against the SHACL
    shapes; ``formats`` chooses the export formats besides Turtle (see :mod:`kg.formats`).
    The output does not depend on ``jobs``, ``extractor`` or ``cache``.
    """
    out_dir = Path(out_dir)
    report = BuildReport()
    store = cache if isinstance(cache, ExtractionCache) else ExtractionCache() if cache else None
    resident = store.resident if store else None     # kg build --watch: the stages' last output

    # 1. ingest: read each file; an unchanged one comes back with its cached extraction
    with report.clock("ingest"), collector_paused():
        items, known = _read(input_dir, store, report)
    stage = _staging_dir(out_dir)    # written here, then moved into out_dir at once
    try:
        # 2-3. decoding, nlp and extraction, one article at a time (cached, in `jobs`
        # processes or by the extractor given); the same text twice is one article
        with report.clock("nlp+extract"):
            results = extract_all(items, extractor or in_processes(jobs), cache=store, progress=progress, known=known)
            report.reused = sum(k is not None for k in known)
            del items, known             # the files' bytes: 100 MB for a 100 MB corpus
            extractions = _distinct(results, report)
            del results
            if not extractions:          # nothing to build: the last build stays as it is
                raise NoArticles(input_dir, report)
            _settle(extractions, extract_again=resident is not None)

        # 4. resolution across the corpus
        with report.clock("resolve"):
            entities, relations, observations, sources = resolve(extractions, resident and resident.merge)

        # 5-6. the graph's lines and every file made of them, with the SHACL check
        lines = _write(stage, extractions, entities, relations, observations, sources,
                       jobs, validate, formats, store, report)

        # 7. every file is in place together, or none is (an interrupted run leaves the last build)
        report.written = _publish(stage, out_dir, report.written, drop_in_background=resident is not None)
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)     # the staged half-build
        raise
    finally:
        gc.unfreeze()
        if store:
            store.sweep()
    report.count(entities, relations, observations, lines)
    return report


def _read(input_dir: Path, store: ExtractionCache | None, report: BuildReport
          ) -> tuple[list[Article | SourceFile], list[ArticleExtraction | None]]:
    """Every article file under ``input_dir``, with its cached extraction where the store
    has one (then the decoded article stands for the file), else ``None``.  A file that
    cannot be read is in ``report.skipped`` with its reason, one that is no article in
    ``report.ignored``.  A watching process does not even read a file whose size and time
    are those of the last build."""
    root = source_root(input_dir)
    watching = store is not None and store.resident is not None
    items: list[Article | SourceFile] = []
    known: list[ArticleExtraction | None] = []
    paths, ignored, unreadable = scan(input_dir)
    report.skipped += [(source_name(p, root), reason) for p, reason in unreadable]
    for path in paths:
        name = source_name(path, root)
        found = store.unchanged(path, name) if watching else None     # not read again
        if found is None:
            try:
                stat = os.stat(path) if watching else None
                data = read_bytes(path)
            except (ArticleError, OSError) as exc:
                report.skipped.append((name, str(exc).splitlines()[0] if str(exc) else exc.__class__.__name__))
                continue
            found = store.get(name, data, stat) if store else None
        items.append(found.article if found else SourceFile(path, root, data))
        known.append(found)
    report.ignored = [source_name(p, root) for p in ignored]
    return items, known


def _settle(extractions: list[ArticleExtraction], extract_again: bool) -> None:
    """Ready the process for the stages after extraction, which keep the extractions until
    the build ends: the cyclic GC need not scan them again (a large corpus's extractions
    are millions of objects), nor touch their pages in the forked writers (which would
    copy them); a large corpus's build lets go of the pipeline (jieba's dictionary, spaCy,
    the tagger) unless the process will extract again."""
    if len(extractions) >= RELEASE_PIPELINE_AT and not extract_again:
        nlp = sys.modules.get(f"{__package__}.nlp")     # None: nothing was extracted here (nor spaCy imported)
        if nlp is not None:
            nlp.release_pipeline()       # (which returns the heap's free pages too)
        else:
            trim_heap()                  # what receiving the workers' results left free
    gc.freeze()


def _write(stage: Path, extractions, entities, relations, observations, sources, jobs: int, validate: bool,
           formats: tuple[str, ...], store: ExtractionCache | None, report: BuildReport) -> list[str]:
    """5. RDF: the graph as sorted N-Triples lines (see :mod:`kg.ntriples`), and 6. the files
    made of them into ``stage``, with the SHACL check of the graph; returns the lines.

    Each file is made by one writer in a forked process, ``jobs`` at a time
    (:class:`kg.speed.parallel.Tasks`).  The page needs no RDF: its writer starts first,
    beside this process making the lines; the others start longest first (provenance and
    the check take about as long as the rest), so that the processes end about together.
    What the writers, the check and provenance made of unchanged input is taken as it was,
    from the store of results (and, in a process that builds again, the memory of the
    last build's pieces, whose writers run here): :mod:`kg.remember`."""
    resident = store.resident if store else None
    memo = store.memo() if store else None
    articles = [ex.article for ex in extractions]
    report.articles = len(articles)
    with remembering(resident.pieces if resident else None, memo), Tasks(jobs, fork=resident is None) as tasks:
        page = resident and (resident.page, resident.page_text)
        write_page = lambda: _write_page(stage, articles, extractions, entities, relations, observations, sources,
                                         *(page or ()))
        with tasks.alongside("html", write_page), report.clock("rdf"):
            lines = (resident.graph_lines if resident else graph_lines)(articles, entities, relations, observations)

        check = lambda: validate_lines(lines).violations
        check_here = validate and (resident is not None or engine_started())  # rudof cannot run in a fork of a process it ran in
        tasks.start("provenance", lambda: _write_provenance(stage, lines, extractions, entities, formats))
        if validate and not check_here:
            tasks.start("validate", check)
        tasks.start("formats", lambda: write_formats(stage, lines, formats, extractions))
        tasks.start("serialize", lambda: _write_turtle(stage, lines))
        done, seconds = tasks.results()
        if check_here:
            with report.clock("validate"):
                done["validate"] = check()
    report.timings.update(seconds)
    report.written = [p for name in ("serialize", "provenance", "html", "formats") for p in done[name]]
    report.violations = done.get("validate", [])
    return lines


def _distinct(results: list, report: BuildReport) -> list[ArticleExtraction]:
    """The extractions of distinct articles: the same text under another file name is one
    article, read once, with both files recorded.  The articles that failed are added to
    ``report.skipped`` with their reasons."""
    report.skipped = sorted(report.skipped + [(ex.source_file, ex.reason) for ex in results
                                              if isinstance(ex, ExtractionFailure)])
    out: list[ArticleExtraction] = []
    seen: dict[str, int] = {}       # by the text itself: a string keeps its hash, so a watching process hashes each once
    for ex in results:
        if isinstance(ex, ExtractionFailure):
            continue
        key = ex.article.text
        if key in seen:
            first = out[seen[key]]
            out[seen[key]] = replace(first, article=replace(first.article, duplicates=(
                *first.article.duplicates, ex.article.source_file)))
            report.duplicates.append((ex.article.source_file, first.article.source_file))
            continue
        seen[key] = len(out)
        out.append(ex)
    return out


def _write_turtle(stage: Path, lines: list[str]) -> list[Path]:
    write_atomic(stage / "kg.ttl", turtle_parts(lines))
    return [stage / "kg.ttl", copy_ontology(stage)]


def _write_provenance(stage: Path, lines, extractions, entities, formats) -> list[Path]:
    """Mention- and sentence-level provenance, kept out of kg.ttl so that it stays readable;
    made and written one article at a time into provenance.ttl and kg.trig's named graphs."""
    with ExitStack() as files:
        ttl = files.enter_context(open(stage / "provenance.ttl", "wb"))
        ttl.write(provenance.HEADER)
        trig = files.enter_context(open(stage / "kg.trig", "wb")) if "trig" in formats else None
        if trig:
            trig.writelines(trig_head(lines))
        for name, body in provenance.turtle_chunks(extractions, entities):
            ttl.write(body)
            if trig:
                trig.writelines(trig_graph(name, body))
    return [stage / "provenance.ttl"] + ([stage / "kg.trig"] if trig else [])


def _write_page(stage: Path, *args) -> list[Path]:
    write_atomic(stage / "graph.html", _page(*args))
    return [stage / "graph.html"]


def _page(articles, extractions, entities, relations, observations, sources, graph_of=None, text=None) -> str:
    """``graph.html``: the explorer over the whole graph, or over its best-attested part
    (:mod:`kg.viz.overview`) when the corpus has more entities than a page can draw.
    ``graph_of`` draws the part (:func:`page_graph`, or a watching process's
    :class:`kg.viz.incremental.PageGraph`), ``text`` writes its data (a watching process's
    :class:`kg.viz.page.PageText`)."""
    from .viz.evidence import PAGE_EVIDENCE

    shown = viz.page_nodes(entities, relations)
    ents = {i: entities[i] for i in sorted(shown)}
    rels = [r for r in relations if r.subject in shown and r.object in shown]
    evidence = {r: found[:PAGE_EVIDENCE] for r in rels if (found := sources.get(r)) is not None}
    files = {f for e in ents.values() for f in e.articles}
    graph = (graph_of or page_graph)([a for a in articles if a.source_file in files], extractions, entities, ents,
                                     rels, [o for o in observations if o.area in shown], evidence)
    for iri in ents:                   # the true count, not the PAGE_EVIDENCE shown
        graph.nodes[iri]["mentions"] = len(entities[iri].mentions)
    graph.graph["whole"] = (len(entities), len(relations))
    return viz.render_html(graph, title="pakg", text=text)


def page_graph(articles, extractions, entities, shown, relations, observations, evidence):
    """The page's part of the graph, read back from its lines as ``kg viz`` reads kg.ttl:
    the ``shown`` entities (with the sentences of their first
    :data:`~kg.viz.evidence.PAGE_EVIDENCE` mentions) and the relations between them."""
    from .viz.evidence import PAGE_EVIDENCE

    kg = LineIndex.from_lines(graph_lines(articles, shown, relations, observations))
    return viz.to_networkx(kg, viz.ExtractionSentences(extractions, shown, evidence, PAGE_EVIDENCE))


class NoArticles(Exception):
    """The input holds no article that could be read: a build would replace the last one
    with an empty graph, so none is written.  ``report`` says what was skipped and why."""

    def __init__(self, source, report: BuildReport):
        super().__init__(f"{source}: no article could be read"
                         + (f" ({len(report.skipped)} skipped)" if report.skipped else ""))
        self.report = report


def is_build_folder(folder: Path) -> bool:
    """Whether ``folder`` is empty or holds a build (its ``kg.ttl``): a build replaces such a
    folder whole, and no other (``--out`` pointed at a folder of one's own is refused)."""
    return (folder / "kg.ttl").is_file() or not any(folder.iterdir())


class BuildInProgress(Exception):
    """Another build is writing the same output folder."""


@contextmanager
def _locked(out_dir: Path):
    """Hold ``.NAME.lock`` beside ``out_dir`` while building into it, and remove the
    staging folders of builds that died (none can be alive while the lock is held)."""
    import fcntl

    out_dir.parent.mkdir(parents=True, exist_ok=True)
    lock = out_dir.parent / f".{out_dir.name}.lock"
    with open(lock, "a+") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.seek(0)
            who = fh.read().strip()
            raise BuildInProgress(f"another build (process {who or '?'}) is writing {out_dir}; "
                                  "run this one when it is done") from None
        fh.seek(0)
        fh.truncate()
        fh.write(f"{os.getpid()}\n")
        fh.flush()
        for left in out_dir.parent.glob(f".{out_dir.name}.building-*"):
            shutil.rmtree(left, ignore_errors=True)
        try:
            yield
        finally:
            fh.truncate(0)
            fcntl.flock(fh, fcntl.LOCK_UN)


def _staging_dir(out_dir: Path) -> Path:
    """A fresh folder beside ``out_dir`` (same file system, so moving out of it is a rename),
    readable as an output folder is (mkdtemp makes it the owner's only)."""
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.building-", dir=out_dir.parent))
    umask = os.umask(0)
    os.umask(umask)
    stage.chmod(0o777 & ~umask)
    return stage


def _publish(stage: Path, out_dir: Path, written: list[Path], drop_in_background: bool = False) -> list[Path]:
    """Put the staged build in place of ``out_dir`` in one step and drop the old one.

    The two folders are exchanged by one ``renameat2(RENAME_EXCHANGE)`` (a first build is a
    rename): a reader sees the whole old build or the whole new one, never a mix, and no
    file of an earlier build stays behind (a ``--format nt`` build leaves no old
    ``kg.jsonld``).  Where folders cannot be exchanged (another system, ``out_dir`` a link)
    the files are swapped in one by one, as before.  ``drop_in_background``: drop the old build in a
    thread of its own, for a watching process, which has nothing else to do until the next
    change (deleting the 240 MB a 10 MB corpus's build replaces takes 0.03-0.06 s)."""
    if not out_dir.exists() and not out_dir.is_symlink():
        os.rename(stage, out_dir)
        return [out_dir / Path(p).relative_to(stage) for p in written]
    if not (out_dir.is_dir() and not out_dir.is_symlink() and is_build_folder(out_dir) and exchange(stage, out_dir)):
        out_dir.mkdir(parents=True, exist_ok=True)
        for path in sorted(p for p in stage.rglob("*") if p.is_file()):
            target = out_dir / path.relative_to(stage)
            target.parent.mkdir(parents=True, exist_ok=True)
            swap_in(path, target)
    if drop_in_background:         # (not a daemon: a process that ends waits for it)
        threading.Thread(target=shutil.rmtree, args=(stage, True), name="pakg-drop-stage").start()
    else:
        shutil.rmtree(stage, ignore_errors=True)
    return [out_dir / Path(p).relative_to(stage) for p in written]
