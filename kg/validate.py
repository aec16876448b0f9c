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

import hashlib
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from operator import is_ as _is
from pathlib import Path

from . import shapes
from .memory import trim_heap
from .ntriples import to_bytes
from .ontology import ONTOLOGY_FILE
from .remember import Memory, memory, stored
from .shapes import SHAPES_FILE

_TYPE = shapes.RDF_TYPE


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


#: Triples validated at once, on average.  rudof holds ~10 kB per triple (and a part brings
#: the types of the nodes it points to along), so a 100 MB
#: corpus's graph (1.5 million triples) is checked in parts; see :func:`validate_lines`.
CHUNK = 5_000


def validate_lines(lines: list[str], chunk: int = CHUNK) -> ValidationReport:
    """Validate a graph given as sorted N-Triples lines (with the ontology mixed in, so
    that ``sh:class`` sees subclasses).

    The graph is checked in parts of about ``chunk`` triples: the triples of a run of
    subjects (the lines that can tell something, see :func:`_lines_to_check`), with the
    ``rdf:type`` of every node they point to, keeping what is said of those subjects
    (each subject is in one part, with all its triples).  That is exact for the
    project's shapes, which look at a focus node's own properties and at the classes of
    their values only (no property paths, no ``sh:node`` chains); a test checks that the
    parts report what the whole graph does.

    Parts end at subjects picked by their own digest (:func:`_parts`), not at a count of
    lines, so one article more or less changes the parts its triples fall in and leaves
    the others as they were: with a store of results (:mod:`kg.remember`), a rebuild checks
    only the changed parts. With a memory of pieces (a watching process) the passes over
    the lines that pick what a part holds are kept too, by runs of subjects, and so are the
    violations of groups of runs whose passes all stay the same (:func:`_kept_groups`): a
    rebuild does not even read again the parts an edit left alone.

    >>> bad = '<http://x/p> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/pakg/ontology#Cadre> .'
    >>> report = validate_lines([bad])
    >>> report.conforms, sorted({v.path for v in report.violations})
    (False, ['pa:mentionedIn', 'rdfs:label'])
    """
    pieces = memory()
    types: dict[str, list[str]] = {}
    for s, line in (_type_lines(lines) if pieces is None else
                    (t for run in pieces.each("shacl-types", lines, _type_lines) for t in run)):
        types.setdefault(s, []).append(line)
    check = _Check(types)
    if pieces is None:
        for part in _parts(_lines_to_check(lines, types), chunk):
            check(part)
    else:
        for first, made in _kept_groups(lines, types, pieces, chunk // 4):
            kept = pieces.kept.get(("shacl-check", first))
            # the same passes (the same objects: a pass is made again when its lines or
            # the classes of the nodes they point to change) tell the same
            if kept is not None and len(kept[0]) == len(made) and all(map(_is, kept[0], made)):
                check.violations.update(kept[1])
            else:
                pieces.kept.put(("shacl-check", first), (made, check([t for m in made for t in m[0]])))
    found = sorted(check.violations, key=lambda v: (v.focus, v.path, v.message))
    return ValidationReport(not found, found)


class _Check:
    """Checks parts of a graph, collecting their violations (see :func:`validate_lines`)."""

    def __init__(self, types: dict[str, list[str]]):
        self.types, self.engine = types, None
        self.violations: set[Violation] = set()

    def __call__(self, part: list[tuple[str, str, str]]) -> list[Violation]:
        """The violations of ``part``'s subjects (also collected)."""
        import pyrudof

        values = {o for _, _, o in part if o[0] == "<"}
        extra = [t for o in sorted(values) for t in self.types.get(o, ())]
        data = to_bytes(sorted({line for line, _, _ in part}.union(extra)))
        own = {subject[1:-1] for _, subject, _ in part}    # the others are checked in their own part

        def check() -> list[Violation]:
            self.engine = self.engine or _shared_engine()
            self.engine.begin_staging()         # the part's triples go again once checked
            try:
                self.engine.read_data(data.decode("utf-8"), format=pyrudof.RDFFormat.NTriples,
                                      reader_mode=pyrudof.ReaderMode.Strict, merge=True)
                return [v for v in _violations(self.engine.validate_shacl()) if v.focus in own]
            finally:
                self.engine.rollback_staging()
                trim_heap()    # rudof's freed pages: the parts' checks would otherwise leave the heap in pieces

        found = stored("shacl", (data,), check)
        self.violations.update(found)
        return found


def _type_lines(lines) -> list[tuple[str, str]]:
    """(subject, line) of the ``rdf:type`` lines."""
    out = []
    for line in lines:
        s, p, _ = line.split(" ", 2)
        if p == _TYPE:
            out.append((s, line))
    return out


def _kept_groups(lines: list[str], types: dict[str, list[str]], pieces: Memory,
                 chunk: int) -> Iterator[tuple[tuple[str, ...], list[tuple]]]:
    """:func:`_lines_to_check` by runs of subjects, each pass over a run kept while its lines and
    the classes of the nodes its lines point to stay the same, in groups of runs of about
    ``chunk`` telling lines: (the group's first run, the passes over its runs).

    A group ends, once it has a quarter of ``chunk`` lines, after a run whose first line's
    hash is a multiple of :data:`GROUP_EVERY` (or at twice ``chunk``), so that an edit
    leaves the other groups as they were.  The groups are not a clean check's parts, but
    any parts of whole subjects report the same violations.
    """
    classes = _classes(types)
    first, made, size = None, [], 0
    for run in pieces.runs(lines):
        kept = pieces.kept.get(("shacl", run))
        if kept is None or any(classes.get(o) != kind for o, kind in kept[1].items()):
            points_to: dict[str, tuple[str, ...] | None] = {}
            stand_ins: dict[str, list[str]] = {}
            kept = (list(_lines_to_check(run, stand_ins, classes, points_to)), points_to, stand_ins)
            pieces.kept.put(("shacl", run), kept)
        types.update(kept[2])
        first = first or run
        made.append(kept)
        size += len(kept[0])
        if size >= 2 * chunk or (size >= chunk // 4 and hash(run[0]) % GROUP_EVERY == 0):
            yield first, made
            first, made, size = None, [], 0
    if made:
        yield first, made


#: One run in this many ends a group of runs checked together by a watching process
#: (runs hold ~80 lines, some 50 of them telling).
GROUP_EVERY = 8


def _classes(types: dict[str, list[str]]) -> dict[str, tuple[str, ...]]:
    return {node: tuple(ln.split(" ", 2)[2] for ln in found) for node, found in types.items()}


#: The most values a property may have under the shapes (``sh:maxCount``); a test checks it.
MAX_COUNT = 1


def _lines_to_check(lines: Iterable[str], types: dict[str, list[str]], classes: dict[str, tuple[str, ...]] | None = None,
             points_to: dict | None = None) -> Iterator[tuple[str, str, str]]:
    """(line, subject, object) of the lines whose check can tell the shapes something new:
    of a subject's values of one property that are nodes with the same types, only the
    first ``MAX_COUNT + 1``, and those as stand-ins (see below).

    The shapes ask of such values only their classes (``sh:class``) and how many there
    are (``sh:minCount`` / ``sh:maxCount``, at most :data:`MAX_COUNT`), and a violation
    names the focus node and the path, not the value; so the others would only repeat a
    check.  A county named in 500 articles keeps two of its ``pa:mentionedIn``, and the
    check of a 10 MB corpus's graph reads a third fewer triples.  Literals are all kept.
    Lines of properties no shape looks at (:func:`kg.shapes.looked_at`) are left out.

    Where the shapes ask nothing else of a property's values (:func:`kg.shapes.blind_to_values`),
    the first and second value with the same types are replaced by two stand-in nodes of
    those types (``<urn:pakg:value:…>``, added to ``types``).  A part then carries the
    types of a few stand-ins instead of those of the thousand articles and places its
    triples point to, each of which rudof would also check as a focus node of its own
    (and, lacking its other triples, fail): that halves the check's time.  Values the
    ontology describes (indicators) stay themselves, as their types are in the ontology.
    ``classes`` are those of ``types`` (worked out here if not given); ``points_to``
    collects the classes of the nodes the lines point to, on which the output depends.
    """
    if classes is None:
        classes = _classes(types)
    looked_at, blind, terms = shapes.looked_at(), shapes.blind_to_values(), shapes.ontology_terms()
    stand_ins: dict[tuple[tuple[str, ...] | None, int], str] = {}
    subject, seen = None, {}
    for line in lines:
        s, p, o = line.split(" ", 2)
        if looked_at is not None and p not in looked_at:
            continue
        o = o[:-2]
        if s != subject:
            subject, seen = s, {}
        if o[0] == "<" and p != _TYPE:
            kind = classes.get(o)
            if points_to is not None:
                points_to[o] = kind
            key = (p, kind)
            seen[key] = n = seen.get(key, 0) + 1
            if n > MAX_COUNT + 1:
                continue
            if p in blind and o not in terms:
                if (kind, n) not in stand_ins:
                    stand_ins[kind, n] = o = _placeholder(kind, n)
                    types[o] = [f"{o} {_TYPE} {c}" for c in kind or ()]
                o = stand_ins[kind, n]
                line = f"{s} {p} {o} ."
        yield line, s, o


def _placeholder(kind: tuple[str, ...] | None, n: int) -> str:
    """The ``n``-th stand-in node of the types ``kind``, named for them so that the parts
    of a rebuild read the same (and hit the memo)."""
    return f"<urn:pakg:value:{hashlib.sha1(repr(kind).encode()).hexdigest()[:16]}-{n}>"


def _parts(triples: Iterable[tuple[str, str, str]], chunk: int) -> Iterator[list[tuple[str, str, str]]]:
    """Runs of whole subjects of about ``chunk`` (line, subject, object) triples, from
    triples sorted by subject.

    A part ends, once it has a quarter of ``chunk`` lines, after a subject whose digest
    is a multiple of ``chunk`` ÷ 8 (content-defined chunking, as rsync and backup tools
    do), or at twice ``chunk`` lines whatever the subject.  With the five or so lines a
    subject has here, parts average about ``chunk`` lines.
    """
    every = max(1, chunk // 8)
    part: list[tuple[str, str, str]] = []
    subject = None
    for triple in triples:
        if triple[1] != subject and part and (
                len(part) >= 2 * chunk or (len(part) >= chunk // 4 and zlib.crc32(subject.encode()) % every == 0)):
            yield part                                 # (a subject's lines stay together)
            part = []
        subject = triple[1]
        part.append(triple)
    if part:
        yield part


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


_ENGINE_STARTED = False


def engine_started() -> bool:
    """Whether rudof has run in this process.  A process forked after that hangs in rudof
    (the runtime it started is not forked with it), so ``kg build`` then validates in its
    own process rather than in a forked one."""
    return _ENGINE_STARTED


_SHARED = None


def _shared_engine():
    """The process's engine for :func:`validate_lines`, made once: a new one costs ~0.1 s,
    which a watching process would pay again at each rebuild.  (The parts' triples are
    rolled back after each check; no forked process runs it, see :func:`engine_started`.)"""
    global _SHARED
    if _SHARED is None:
        _SHARED = _engine()
    return _SHARED


def _engine(ontology: Path = ONTOLOGY_FILE):
    """rudof with the ontology and the shapes read.  Reading the first data into a new
    engine costs ~0.1 s whatever its size, so :func:`validate_lines` reads each part into
    one engine, in a staging frame that it rolls back after the check."""
    import pyrudof

    global _ENGINE_STARTED
    _ENGINE_STARTED = True
    rudof = pyrudof.Rudof(pyrudof.RudofConfig())
    rudof.read_data(ontology.read_text(encoding="utf-8"), format=pyrudof.RDFFormat.Turtle,
                    reader_mode=pyrudof.ReaderMode.Strict)
    rudof.read_shacl(SHAPES_FILE.read_text(encoding="utf-8"), reader_mode=pyrudof.ReaderMode.Strict)
    return rudof


def _validate(sources: list, ontology: Path = ONTOLOGY_FILE) -> ValidationReport:
    import pyrudof

    rudof = _engine(ontology)
    for data, fmt in sources:
        rudof.read_data(data, format=fmt, reader_mode=pyrudof.ReaderMode.Strict, merge=True)
    violations = _violations(rudof.validate_shacl())
    return ValidationReport(not violations, violations)


def _violations(report) -> list[Violation]:
    return sorted({Violation(str(v.focus_node), _short(v.path), _message(v)) for v in report
                   if v.severity == "Violation"}, key=lambda v: (v.focus, v.path, v.message))


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
