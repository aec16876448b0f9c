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
_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"


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


#: Triples validated at once.  rudof holds ~5 kB per triple, so a 100 MB corpus's graph
#: (1.5 million triples) is checked in parts of this size; see :func:`validate_lines`.
CHUNK = 20_000


def validate_lines(lines: list[str], chunk: int = CHUNK) -> ValidationReport:
    """Validate a graph given as sorted N-Triples lines (with the ontology mixed in, so
    that ``sh:class`` sees subclasses).

    The graph is checked in parts of about ``chunk`` triples: the triples of a run of
    subjects, with the ``rdf:type`` of every node they point to, keeping what is said of
    those subjects (each subject is in one part, with all its triples).  That is exact for the
    project's shapes, which look at a focus node's own properties and at the classes of
    their values only (no property paths, no ``sh:node`` chains); a test checks that the
    parts report what the whole graph does.

    >>> bad = '<http://x/p> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/pakg/ontology#Cadre> .'
    >>> report = validate_lines([bad])
    >>> report.conforms, sorted({v.path for v in report.violations})
    (False, ['pa:mentionedIn', 'rdfs:label'])
    """
    import pyrudof

    types: dict[str, list[str]] = {}
    for line in lines:
        s, p, _ = line.split(" ", 2)
        if p == _TYPE:
            types.setdefault(s, []).append(line)
    violations: set[Violation] = set()
    part: list[str] = []
    for i, line in enumerate(lines):
        part.append(line)
        last = i + 1 == len(lines)
        if last or (len(part) >= chunk and lines[i + 1].split(" ", 1)[0] != line.split(" ", 1)[0]):
            values = {o for ln in part if (o := ln.split(" ", 2)[2][:-2]).startswith("<")}
            extra = [t for o in sorted(values) for t in types.get(o, ())]
            data = to_bytes(sorted(set(part).union(extra))).decode("utf-8")
            own = {ln.split(" ", 1)[0][1:-1] for ln in part}    # the others are checked in their own part
            violations.update(v for v in _validate([(data, pyrudof.RDFFormat.NTriples)]).violations if v.focus in own)
            part = []
    found = sorted(violations, key=lambda v: (v.focus, v.path, v.message))
    return ValidationReport(not found, found)


def validate_graph(data, ontology=None) -> ValidationReport:
    """Validate an rdflib ``Graph`` (``ontology`` is accepted for compatibility; the
    project's ontology is always mixed in)."""
    return validate_lines(sorted({line for line in data.serialize(format="nt").splitlines() if line.strip()}))


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
