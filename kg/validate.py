"""Check a build against the SHACL shapes of ``ontology/shapes.ttl``.

A build that breaks the shapes would mislead every SPARQL user downstream (a servesIn
pointing at a program, an observation without a value), so ``kg build`` validates what
it wrote and ``kg validate OUTPUT_DIR`` does it on demand.

The validator is rudof's SHACL engine (Rust, through ``pyrudof``): pySHACL, which the
first builds used, needs the graph as an rdflib ``Graph`` and took 19 s on the 127,000
triples of a 10 MB corpus; rudof takes well under a second.  The test suite keeps
pySHACL as an independent check that both engines report the same violations.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .ntriples import to_bytes
from .ontology import ONTOLOGY_DIR, ONTOLOGY_FILE

SHAPES_FILE = ONTOLOGY_DIR / "shapes.ttl"


@dataclass(frozen=True)
class Violation:
    focus: str
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.focus} {self.path}: {self.message}"


@dataclass
class ValidationReport:
    conforms: bool
    violations: list[Violation] = field(default_factory=list)


def validate_lines(lines: Iterable[str]) -> ValidationReport:
    """Validate a graph given as N-Triples lines (with the ontology mixed in, so that
    ``sh:class`` sees subclasses).

    >>> bad = '<http://x/p> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/pakg/ontology#Cadre> .'
    >>> report = validate_lines([bad])
    >>> report.conforms, sorted({v.path for v in report.violations})
    (False, ['pa:mentionedIn', 'rdfs:label'])
    """
    import pyrudof

    data = to_bytes(lines).decode("utf-8")
    return _validate([(data, pyrudof.RDFFormat.NTriples)] if data else [])


def validate_graph(data, ontology=None) -> ValidationReport:
    """Validate an rdflib ``Graph`` (``ontology`` is accepted for compatibility; the
    project's ontology is always mixed in)."""
    return validate_lines(line for line in data.serialize(format="nt").splitlines() if line.strip())


def validate_build(out_dir: Path) -> ValidationReport:
    """Validate a build folder's ``kg.ttl`` against the shapes, with its ``ontology.ttl``."""
    import pyrudof

    out_dir = Path(out_dir)
    ontology = out_dir / "ontology.ttl"
    return _validate([((out_dir / "kg.ttl").read_text(encoding="utf-8"), pyrudof.RDFFormat.Turtle)],
                     ontology if ontology.is_file() else ONTOLOGY_FILE)


def _validate(sources: list, ontology: Path = ONTOLOGY_FILE) -> ValidationReport:
    import pyrudof

    rudof = pyrudof.Rudof(pyrudof.RudofConfig())
    rudof.read_data(ontology.read_text(encoding="utf-8"), format=pyrudof.RDFFormat.Turtle,
                    reader_mode=pyrudof.ReaderMode.Strict)
    for data, fmt in sources:
        rudof.read_data(data, format=fmt, reader_mode=pyrudof.ReaderMode.Strict, merge=True)
    rudof.read_shacl(SHAPES_FILE.read_text(encoding="utf-8"), reader_mode=pyrudof.ReaderMode.Strict)
    report = rudof.validate_shacl()
    violations = sorted({Violation(str(v.focus_node), _short(v.path), _message(v)) for v in report
                         if v.severity == "Violation"}, key=lambda v: (v.focus, v.path, v.message))
    return ValidationReport(not violations, violations)


def _message(entry) -> str:
    text = (entry.message or "").strip()
    if len(text) >= 2 and text[0] == text[-1] == '"':       # rudof writes the sh:message literal as such
        text = text[1:-1]
    return text or entry.constraint_component.rsplit("#", 1)[-1]


def _short(path) -> str:
    if path is None:
        return ""
    text = str(path)
    for prefix, ns in (("pa:", "https://w3id.org/pakg/ontology#"),
                       ("rdfs:", "http://www.w3.org/2000/01/rdf-schema#"),
                       ("skos:", "http://www.w3.org/2004/02/skos/core#")):
        if text.startswith(ns):
            return prefix + text[len(ns):]
    return text
