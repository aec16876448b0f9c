"""Stage 6: write the build's export formats and its copy of the ontology.

Every file goes through :func:`kg.files.write_atomic`: whole or not at all.
"""
from __future__ import annotations

from pathlib import Path

from .files import write_atomic
from .ontology import ONTOLOGY_FILE


def copy_ontology(out_dir: Path) -> Path:
    target = Path(out_dir) / "ontology.ttl"
    write_atomic(target, ONTOLOGY_FILE.read_bytes())
    return target


def write_formats(out_dir: Path, lines: list[str], formats, extractions=()) -> list[Path]:
    """Write each export format asked for but Turtle and TriG (written with the provenance,
    see :mod:`kg.pipeline`) from the graph's sorted N-Triples ``lines``; returns the paths
    written.  ``extractions`` give the graph files' edges their evidence
    (:func:`kg.property_graph.edge_evidence`)."""
    from functools import cache

    from . import formats as f
    from .property_graph import edge_evidence, project

    # for GraphML, GEXF and Neo4j: made once
    graph = cache(lambda: project(lines, edge_evidence(extractions)))
    writers = {"nt": ("kg.nt", lambda: f.ntriples(lines)),
               "jsonld": ("kg.jsonld", lambda: f.jsonld(lines)),
               "graphml": ("kg.graphml", lambda: f.graphml(graph())),
               "gexf": ("kg.gexf", lambda: f.gexf(graph()))}
    written = []
    for fmt in formats:
        if fmt in writers:
            name, make = writers[fmt]
            write_atomic(Path(out_dir) / name, make())
            written.append(Path(out_dir) / name)
        if fmt == "jsonld":
            write_atomic(Path(out_dir) / "context.jsonld", f.context())
            written.append(Path(out_dir) / "context.jsonld")
        if fmt == "neo4j":
            files = f.neo4j(graph())
            folder = Path(out_dir) / "neo4j"
            for name, data in sorted(files.items()):
                write_atomic(folder / name, data)
            written.append(folder)
    return written
