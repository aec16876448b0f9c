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


def write_formats(out_dir: Path, lines: list[str], formats, pieces=None) -> list[Path]:
    """Write each export format asked for but Turtle and TriG (written with the provenance,
    see :mod:`kg.pipeline`) from the graph's sorted N-Triples ``lines``; returns the paths
    written.  ``pieces`` (a :class:`kg.pieces.Pieces`) reuses the last build's pieces."""
    from functools import cache

    from . import formats as f

    actors = cache(lambda: f.actors(lines, pieces))   # for GraphML, GEXF and Neo4j: made once
    writers = {"nt": ("kg.nt", lambda: f.ntriples(lines, pieces=pieces)),
               "jsonld": ("kg.jsonld", lambda: f.jsonld(lines, pieces)),
               "graphml": ("kg.graphml", lambda: f.graphml(actors(), pieces)),
               "gexf": ("kg.gexf", lambda: f.gexf(actors(), pieces))}
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
            files = f.neo4j(actors(), pieces)
            folder = Path(out_dir) / "neo4j"
            for stale in sorted(folder.glob("*.csv")) if folder.is_dir() else ():
                if stale.name not in files:
                    stale.unlink()
            for name, data in sorted(files.items()):
                write_atomic(folder / name, data)
            write_atomic(folder / "import.sh", "#!/bin/sh\n# Load this folder into a new Neo4j database "
                         "(run from the build folder, Neo4j stopped).\n" + f.neo4j_import_command(files) + "\n")
            written.append(folder)
    return written
