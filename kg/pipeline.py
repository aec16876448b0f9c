"""The whole build, stage by stage: files → articles → mentions → entities → RDF → files.

Read this top to bottom to follow an article from disk to triple; each stage lives in
its own module and can be called on its own.
"""
from __future__ import annotations

import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from . import viz
from .export import copy_ontology, turtle, write_atomic, write_formats
from .formats import FORMATS
from .batch import ExtractionCache, extract_all
from .ingest import ArticleError, find_articles, read_article
from .ontology import load_ontology
from .rdf import build_graph
from .provenance import provenance_graphs, to_turtle, union
from .resolve import resolve
from .validate import validate_graph


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


def build(input_dir: Path, out_dir: Path, progress: Callable | None = None, jobs: int = 1,
          cache: bool | ExtractionCache = True, validate: bool = True,
          formats: tuple[str, ...] = FORMATS) -> BuildReport:
    """Build the knowledge graph of every article under ``input_dir`` into ``out_dir``.

    ``progress(iterable, total, description)`` wraps the per-article loop (a progress bar
    in the CLI); by default the loop runs silently.  ``jobs`` processes extract articles;
    ``cache`` reuses the extraction of articles seen before (see :mod:`kg.batch`);
    ``validate`` checks the graph against the SHACL shapes; ``formats`` chooses the export
    formats besides Turtle (see :mod:`kg.formats`).  The output does not depend on
    ``jobs`` or ``cache``.
    """
    input_dir, out_dir = Path(input_dir), Path(out_dir)
    report = BuildReport()
    wrap = progress or (lambda it, total, desc: it)

    # 1. ingest
    clock = report.clock
    articles = []
    with clock("ingest"):
        for path in find_articles(input_dir):
            try:
                articles.append(read_article(path, input_dir))
            except (ArticleError, OSError) as exc:
                report.skipped.append((path.relative_to(input_dir).as_posix(), str(exc)))
    report.articles = len(articles)

    # 2-3. nlp and extraction, one article at a time (cached by content, in `jobs` processes)
    with clock("nlp+extract"):
        store = cache if isinstance(cache, ExtractionCache) else ExtractionCache() if cache else None
        extractions = extract_all(articles, jobs=jobs, cache=store, progress=wrap)
        report.reused = store.hits if store else 0

    # 4. resolution across the corpus
    with clock("resolve"):
        entities, relations, observations, sources = resolve(extractions)

    # 5. RDF
    with clock("rdf"):
        graph = build_graph(articles, entities, relations, observations)

    # 6. export and viz
    out_dir.mkdir(parents=True, exist_ok=True)
    with clock("serialize"):
        write_atomic(out_dir / "kg.ttl", turtle(graph))
        report.written.append(out_dir / "kg.ttl")
        report.written.append(copy_ontology(out_dir))
    with clock("html"):
        write_atomic(out_dir / "graph.html", viz.render_html(viz.to_networkx(graph), title="pakg"))
        report.written.append(out_dir / "graph.html")
    # mention- and sentence-level provenance, kept out of kg.ttl so that it stays readable
    with clock("provenance"):
        by_article = provenance_graphs(extractions, entities, sources)
        write_atomic(out_dir / "provenance.ttl", to_turtle(union(by_article)))
        report.written.append(out_dir / "provenance.ttl")
    # the other formats asked for (kg.nt, kg.jsonld, kg.trig, kg.graphml, kg.gexf, neo4j/)
    with clock("formats"):
        report.written += write_formats(out_dir, graph, by_article, formats)

    # 7. check the graph against the shapes users rely on
    if validate:
        with clock("validate"):
            report.violations = validate_graph(graph, load_ontology()).violations

    for e in entities.values():
        if e.articles:
            report.entities[e.type] += 1
        else:
            report.background += 1
    report.relations = Counter(r.predicate for r in relations)
    report.observations = len(observations)
    report.triples = len(graph)
    return report
