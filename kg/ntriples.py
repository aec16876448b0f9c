"""Triples as N-Triples lines: how the build holds its graphs.

A 10 MB corpus gives over a hundred thousand triples for ``kg.ttl`` and a million for
its provenance; as rdflib terms in an rdflib ``Graph`` they cost ten times the time and
memory of plain strings, and rdflib's Turtle serializer grows worse than linearly.  So
the build writes each triple once, as the line N-Triples would hold, keeps sets of
lines, and hands them to pyoxigraph (Rust) to parse, serialize and query.  Sorted lines
are also what makes every output byte-identical from run to run.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from itertools import islice

from .namespaces import IRI_KINDS, PREFIXES
from .remember import by_runs

ITSRDF = "http://www.w3.org/2005/11/its/rdf#"
_ESCAPE = re.compile(r'[\\"\x00-\x1f\x7f]')
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"}
#: Each character :data:`_ESCAPE` matches and its escape, for ``str.translate``: an article's
#: text, a literal of provenance, has a line break every few dozen characters.
_ESCAPE_TABLE = {c: _ESCAPES.get(chr(c), f"\\u{c:04X}") for c in (*range(0x20), 0x7F, ord("\\"), ord('"'))}


def iri(value: str) -> str:
    """``<value>``."""
    return f"<{value}>"


def literal(text: str, datatype: str | None = None, lang: str | None = None) -> str:
    r"""A literal in N-Triples syntax.

    >>> print(literal('他说:"好"\n'), literal("胡家坪村", lang="zh"))
    "他说:\"好\"\n" "胡家坪村"@zh
    >>> literal("2019", "http://www.w3.org/2001/XMLSchema#gYear")
    '"2019"^^<http://www.w3.org/2001/XMLSchema#gYear>'
    """
    body = text.translate(_ESCAPE_TABLE) if _ESCAPE.search(text) else text
    if datatype:
        return f'"{body}"^^<{datatype}>'
    return f'"{body}"@{lang}' if lang else f'"{body}"'


#: Where Turtle, as pyoxigraph writes it, escapes a string otherwise than :func:`literal`.
_TURTLE_ONLY = re.compile("[\b\t\f\ufffe\uffff]")
_TURTLE_ESCAPES = {**_ESCAPES, "\b": "\\b", "\t": "\\t", "\f": "\\f"}
_TURTLE_ESCAPE = re.compile(r'[\\"\x00-\x1f\x7f\ufffe\uffff]')
#: Local names a prefixed name takes as they are (pyoxigraph escapes others: ``pa:a\/b``).
_PLAIN_LOCAL = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")


def turtle_string(text: str, nt: str | None = None) -> str:
    r"""A plain literal as pyoxigraph's Turtle has it: :func:`literal` but for a few
    characters (tests/test_ntriples.py checks every Unicode character).  ``nt``, if
    given, is ``literal(text)``, made already.

    >>> print(turtle_string("甲\t乙"), literal("甲\t乙"))
    "甲\t乙" "甲\u0009乙"
    """
    if not _TURTLE_ONLY.search(text):
        return nt or literal(text)
    return '"' + _TURTLE_ESCAPE.sub(lambda m: _TURTLE_ESCAPES.get(m.group(), f"\\u{ord(m.group()):04X}"), text) + '"'


def literal_forms(text: str) -> tuple[str, str]:
    r"""``literal(text)`` and ``turtle_string(text)``: the text quoted as it is, twice, when
    neither escapes anything in it (most mentions and sentences).

    >>> literal_forms("甲乙"), literal_forms("甲\t乙")
    (('"甲乙"', '"甲乙"'), ('"甲\\u0009乙"', '"甲\\t乙"'))
    """
    if not _TURTLE_ESCAPE.search(text):       # (what either escapes is a subset of it)
        quoted = f'"{text}"'
        return quoted, quoted
    nt = literal(text)
    return nt, turtle_string(text, nt)


def turtle_name(iri: str, prefix_names: tuple[str, ...]) -> str:
    """An IRI as pyoxigraph's Turtle writes it with these prefixes: a prefixed name when
    its local part is a plain name, else ``<iri>``.

    >>> turtle_name("https://w3id.org/pakg/ontology#Mention", ("pa",)), turtle_name("http://x/y", ("pa",))
    ('pa:Mention', '<http://x/y>')
    """
    for name, ns in prefixes(*prefix_names).items():
        if iri.startswith(ns) and _PLAIN_LOCAL.fullmatch(iri[len(ns):]):
            return f"{name}:{iri[len(ns):]}"
    return f"<{iri}>"


def to_bytes(lines: Iterable[str]) -> bytes:
    """An N-Triples document of ``lines``, in the order given."""
    text = "\n".join(lines)
    return (text + "\n").encode("utf-8") if text else b""


def parse(lines: Iterable[str]):
    """pyoxigraph triples of ``lines``."""
    import pyoxigraph as ox
    return ox.parse(to_bytes(lines), format=ox.RdfFormat.N_TRIPLES)


def triples(lines: Iterable[str], predicates: frozenset[str] | None = None):
    """(subject, predicate, object) of each line in order, as strings but the objects that
    are not IRIs (pyoxigraph ``Literal`` or ``BlankNode``); only the triples of the given
    predicate IRIs if some are given.

    Most lines of a graph link two IRIs (``<s> <p> <o> .``): those are split here, several
    times quicker than having pyoxigraph parse them and hand back terms; the rest (literals,
    blank nodes, escapes, unusual spacing) are parsed by pyoxigraph, one call per batch.

    >>> for t in triples(['<http://x/v> <http://x/p> <http://x/t> .', '<http://x/v> <http://x/q> "村"@zh .']):
    ...     print(t)
    ('http://x/v', 'http://x/p', 'http://x/t')
    ('http://x/v', 'http://x/q', <Literal value=村 language=zh>)
    """
    wanted = None if predicates is None else {f"<{p}>" for p in predicates}
    lines = iter(lines)
    while batch := list(islice(lines, 20_000)):     # a batch at a time: a large graph's triples are never all held
        yield from _triples(batch, wanted, predicates)


def _triples(lines: list[str], wanted: set[str] | None, predicates: frozenset[str] | None):
    from pyoxigraph import NamedNode

    split: list = []        # per triple: the triple, or None where the parser's next one goes
    rest = []
    for line in lines:
        parts = line.split(None, 3)      # IRIs hold no white space; literals may
        if not parts or parts[0][0] == "#":
            continue
        if wanted is not None and len(parts) > 1 and parts[1] not in wanted and "\\" not in parts[1]:
            continue
        if (len(parts) == 4 and parts[3] == "." and parts[0][0] == parts[1][0] == parts[2][0] == "<"
                and "\\" not in line):
            split.append((parts[0][1:-1], parts[1][1:-1], parts[2][1:-1]))
        else:
            split.append(None)
            rest.append(line)
    parsed = parse(rest)
    for t in split:
        if t is None:
            q = next(parsed)
            o = q.object
            t = (q.subject.value, q.predicate.value, o.value if isinstance(o, NamedNode) else o)
            if predicates is not None and t[1] not in predicates:
                continue
        yield t


def prefixes(*names: str) -> dict[str, str]:
    """The project's prefixes (all, or those named), for pyoxigraph's serializers."""
    table = {**{k: str(v) for k, v in PREFIXES.items()}, "itsrdf": ITSRDF}
    return {k: v for k, v in table.items() if not names or k in names}


#: The prefixes of ``kg.ttl``: one per kind of IRI (``county:lian-yuan-shi``, the names
#: ``kg query`` and ``kg serve`` predeclare); pad: is left out, as ``pad:village\/x`` reads
#: worse than the IRI.
KG_PREFIXES = ("pa", "rdf", "rdfs", "skos", "xsd", "org", "dcterms", "time", *IRI_KINDS)


def turtle_parts(lines: list[str], prefix_names: tuple[str, ...] = KG_PREFIXES, size: int = 20_000) -> Iterator[bytes]:
    """Turtle of sorted ``lines`` written by pyoxigraph in their order, after the
    ``@prefix`` lines in the order of :func:`prefixes`: in pieces of about ``size`` lines,
    each a run of whole subjects, so that a large graph's Turtle is never whole in memory
    (pyoxigraph writes one block per subject, so the pieces add up to the bytes of one
    serialisation of all the lines).  A process that builds again reuses the pieces of the
    build before where their lines are the same (see :mod:`kg.remember`)."""
    yield prefix_header(prefix_names) + b"\n"
    yield from by_runs(("turtle", prefix_names), lines, lambda run: turtle_body(run, prefix_names), size)


def turtle_body(lines: Iterable[str], prefix_names: tuple[str, ...] = KG_PREFIXES) -> bytes:
    """Turtle of ``lines`` without ``@prefix`` lines, to follow a header that has them."""
    import pyoxigraph as ox
    data = ox.serialize(parse(lines), format=ox.RdfFormat.TURTLE, prefixes=prefixes(*prefix_names))
    return re.sub(rb"\A(?:@prefix [^\n]*\n)*", b"", data)


def prefix_header(prefix_names: tuple[str, ...] = KG_PREFIXES) -> bytes:
    """The ``@prefix`` lines :func:`turtle_parts` writes."""
    return "".join(f"@prefix {k}: <{v}> .\n" for k, v in prefixes(*prefix_names).items()).encode("utf-8")


def to_rdflib(lines: Iterable[str]):
    """An rdflib ``Graph`` of ``lines`` with the project's prefixes bound (for small graphs:
    the explorer's subgraph, tests)."""
    from rdflib import Graph
    g = Graph()
    for prefix, ns in prefixes().items():
        g.bind(prefix, ns, override=True)
    data = to_bytes(lines)
    return g.parse(data=data.decode("utf-8"), format="nt") if data else g
