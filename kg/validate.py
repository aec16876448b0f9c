"""Check a build against the SHACL shapes of ``ontology/shapes.ttl`` (pySHACL).

A build that breaks the shapes would mislead every SPARQL user downstream (a servesIn
pointing at a program, an observation without a value), so ``kg build`` validates what
it wrote and ``kg validate OUTPUT_DIR`` does it on demand.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pyshacl import validate as shacl_validate
from rdflib import Graph, Namespace

from .ontology import ONTOLOGY_DIR

SHAPES_FILE = ONTOLOGY_DIR / "shapes.ttl"
SH = Namespace("http://www.w3.org/ns/shacl#")


@dataclass
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


def validate_graph(data: Graph, ontology: Graph | None = None) -> ValidationReport:
    """Validate ``data`` (with ``ontology`` mixed in, so sh:class sees subclasses)."""
    shapes = Graph().parse(SHAPES_FILE, format="turtle")
    conforms, results, _ = shacl_validate(data, shacl_graph=shapes, ont_graph=ontology, inference="none",
                                          advanced=True, allow_warnings=False)
    violations = sorted(
        (Violation(str(results.value(r, SH.focusNode)), _short(results.value(r, SH.resultPath)),
                   str(results.value(r, SH.resultMessage) or ""))
         for r in results.subjects(SH.resultSeverity, SH.Violation)),
        key=lambda v: (v.focus, v.path, v.message))
    return ValidationReport(bool(conforms), violations)


def validate_build(out_dir: Path) -> ValidationReport:
    """Validate a build folder's ``kg.ttl`` against the shapes, with its ``ontology.ttl``."""
    out_dir = Path(out_dir)
    data = Graph().parse(out_dir / "kg.ttl", format="turtle")
    ontology = Graph()
    if (out_dir / "ontology.ttl").exists():
        ontology.parse(out_dir / "ontology.ttl", format="turtle")
    return validate_graph(data, ontology)


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
