"""The whole build, stage by stage: files → articles → mentions → entities → RDF → files.

Read this top to bottom to follow an article from disk to triple; each stage lives in
its own module and can be called on its own.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from . import viz
from .export import copy_ontology, turtle, write_atomic
from .extract import extract
from .ingest import ArticleError, find_articles, read_article
from .nlp import build_pipeline
from .ontology import load_ontology
from .rdf import build_graph
from .provenance import provenance_graphs, union
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


def build(input_dir: Path, out_dir: Path, progress: Callable | None = None) -> BuildReport:
    """Build the knowledge graph of every article under ``input_dir`` into ``out_dir``.

    ``progress(iterable, total, description)`` wraps the per-article loop (a progress bar
    in the CLI); by default the loop runs silently.
    """
    input_dir, out_dir = Path(input_dir), Path(out_dir)
    report = BuildReport()
    wrap = progress or (lambda it, total, desc: it)

    # 1. ingest
    articles = []
    for path in find_articles(input_dir):
        try:
            articles.append(read_article(path, input_dir))
        except (ArticleError, OSError) as exc:
            report.skipped.append((path.relative_to(input_dir).as_posix(), str(exc)))
    report.articles = len(articles)

    # 2-3. nlp and extraction, one article at a time
    nlp = build_pipeline()
    extractions = [extract(a, nlp) for a in wrap(articles, len(articles), "extracting")]

    # 4. resolution across the corpus
    entities, relations, observations, sources = resolve(extractions)

    # 5. RDF
    graph = build_graph(articles, entities, relations, observations)

    # 6. export and viz
    out_dir.mkdir(parents=True, exist_ok=True)
    write_atomic(out_dir / "kg.ttl", turtle(graph))
    report.written.append(out_dir / "kg.ttl")
    report.written.append(copy_ontology(out_dir))
    # mention- and sentence-level provenance, kept out of kg.ttl so that it stays readable;
    # the graph page shows its sentences
    provenance = union(provenance_graphs(extractions, entities, sources))
    write_atomic(out_dir / "graph.html", viz.render_html(viz.to_networkx(graph, provenance), title="pakg"))
    report.written.append(out_dir / "graph.html")
    write_atomic(out_dir / "provenance.ttl", turtle(provenance))
    report.written.append(out_dir / "provenance.ttl")

    # 7. check the graph against the shapes users rely on
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
