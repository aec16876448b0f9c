"""SPARQL results in the W3C formats, with an optional row limit, and content negotiation.

pyoxigraph can serialize a whole result, but a service must stop at ``--max-rows`` and
still answer in a standard format, so SELECT and ASK results are written here from the
solutions themselves (SPARQL 1.1 Query Results JSON, XML, CSV and TSV); graphs
(CONSTRUCT, DESCRIBE) are written by pyoxigraph's RDF serializers from the kept triples,
sorted so that the same build and query give the same bytes. In N-Quads each triple is
written in the graph of the store that holds it (an article's provenance graph in a
store made by ``kg load``), or in the default graph when it is held in none (a triple
that the CONSTRUCT template made).

>>> import pyoxigraph as ox
>>> store = ox.Store()
>>> store.add(ox.Quad(ox.NamedNode("http://example.org/v"), ox.NamedNode("http://example.org/name"),
...                   ox.Literal("胡家坪村", language="zh")))
>>> result = store.query("SELECT ?v ?name WHERE { ?v <http://example.org/name> ?name }")
>>> body, truncated = serialize(result, FORMATS["csv"])
>>> body.decode()
'v,name\\r\\nhttp://example.org/v,胡家坪村\\r\\n'
"""
from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from itertools import islice
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from .sparql import PREFIXES

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
SOLUTIONS, BOOLEAN, GRAPH = "solutions", "boolean", "graph"


@dataclass(frozen=True)
class Format:
    name: str
    media_type: str
    kinds: frozenset

    @property
    def content_type(self) -> str:
        return self.media_type + ("; charset=utf-8" if self.media_type.startswith("text/") else "")


_TABULAR = frozenset({SOLUTIONS, BOOLEAN})
FORMATS = {f.name: f for f in (
    Format("json", "application/sparql-results+json", _TABULAR),
    Format("xml", "application/sparql-results+xml", _TABULAR),
    Format("csv", "text/csv", _TABULAR),
    Format("tsv", "text/tab-separated-values", _TABULAR),
    Format("turtle", "text/turtle", frozenset({GRAPH})),
    Format("ntriples", "application/n-triples", frozenset({GRAPH})),
    Format("nquads", "application/n-quads", frozenset({GRAPH})),
    Format("rdfxml", "application/rdf+xml", frozenset({GRAPH})),
    Format("jsonld", "application/ld+json", frozenset({GRAPH})),
)}
DEFAULT = {SOLUTIONS: "json", BOOLEAN: "json", GRAPH: "turtle"}

# media types and format names clients send, per kind of result (SPARQLWrapper sends both)
_BY_MEDIA = {
    _TABULAR: {
        "application/sparql-results+json": "json", "application/json": "json", "text/javascript": "json",
        "application/javascript": "json", "application/sparql-results+xml": "xml", "application/xml": "xml",
        "text/xml": "xml", "text/csv": "csv", "text/tab-separated-values": "tsv",
    },
    frozenset({GRAPH}): {
        "text/turtle": "turtle", "application/turtle": "turtle", "application/x-turtle": "turtle",
        "text/n3": "turtle", "text/rdf+n3": "turtle", "application/n3": "turtle",
        "application/n-triples": "ntriples", "text/plain": "ntriples",
        "application/n-quads": "nquads", "text/x-nquads": "nquads",
        "application/rdf+xml": "rdfxml", "application/xml": "rdfxml", "text/xml": "rdfxml",
        "application/ld+json": "jsonld", "application/x-json+ld": "jsonld", "application/json": "jsonld",
    },
}
_BY_NAME = {
    _TABULAR: {"json": "json", "xml": "xml", "csv": "csv", "tsv": "tsv"},
    frozenset({GRAPH}): {"turtle": "turtle", "ttl": "turtle", "n3": "turtle", "ntriples": "ntriples",
                         "nt": "ntriples", "n-triples": "ntriples", "nquads": "nquads", "nq": "nquads",
                         "n-quads": "nquads", "xml": "rdfxml", "rdfxml": "rdfxml",
                         "rdf+xml": "rdfxml", "rdf": "rdfxml", "json": "jsonld", "jsonld": "jsonld",
                         "json-ld": "jsonld"},
}
_RDF_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES, "nquads": ox.RdfFormat.N_QUADS,
                "rdfxml": ox.RdfFormat.RDF_XML, "jsonld": ox.RdfFormat.JSON_LD}


def kind_of(result) -> str:
    if isinstance(result, ox.QueryBoolean):
        return BOOLEAN
    if isinstance(result, ox.QuerySolutions):
        return SOLUTIONS
    return GRAPH


def formats_for(kind: str) -> list[Format]:
    return [f for f in FORMATS.values() if kind in f.kinds]


def negotiate(kind: str, requested: list[str] | None = None, accept: str | None = None) -> Format | None:
    """The format to answer in: the first ``format=`` value that fits this kind of result,
    else the best media type of the ``Accept`` header, else the default; None if the client
    asked only for formats this kind of result cannot take (HTTP 406).

    >>> negotiate(SOLUTIONS, accept="text/csv;q=0.5, application/sparql-results+xml").name
    'xml'
    >>> negotiate(GRAPH, ["xml"]).name
    'rdfxml'
    >>> negotiate(SOLUTIONS, accept="text/turtle") is None
    True
    """
    group = _TABULAR if kind in _TABULAR else frozenset({GRAPH})
    if requested:
        for value in requested:
            value = value.strip().lower()
            name = _BY_NAME[group].get(value) or _BY_MEDIA[group].get(value.split(";")[0].strip())
            if name:
                return FORMATS[name]
        return None
    if not accept or not accept.strip():
        return FORMATS[DEFAULT[kind]]
    for media in _accepted(accept):
        if media in _BY_MEDIA[group]:
            return FORMATS[_BY_MEDIA[group][media]]
        if media == "*/*":
            return FORMATS[DEFAULT[kind]]
        if media.endswith("/*"):
            major = media[:-1]
            for f in formats_for(kind):
                if f.media_type.startswith(major):
                    return f
    return None


#: what a browser asks for first when a person opens a link: the query page, not results
PAGE_MEDIA = ("text/html", "application/xhtml+xml")


def wants_page(accept: str | None) -> bool:
    """Whether the ``Accept`` header ranks a web page first, as a browser opening a link
    to the endpoint does (it gets the query page, with the query in its box).

    >>> wants_page("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
    True
    >>> wants_page("application/sparql-results+json, text/html;q=0.5"), wants_page(None)
    (False, False)
    """
    ranked = _accepted(accept or "")
    return bool(ranked) and ranked[0] in PAGE_MEDIA


def _accepted(accept: str) -> list[str]:
    """Media ranges of an Accept header, best first (q=0 dropped; ties keep their order)."""
    ranked = []
    for i, part in enumerate(accept.split(",")):
        media, *params = [p.strip() for p in part.split(";")]
        q = 1.0
        for p in params:
            if p.lower().startswith("q="):
                try:
                    q = float(p[2:])
                except ValueError:
                    q = 0.0
        if media and q > 0:
            ranked.append((-q, i, media.lower()))
    return [m for _, _, m in sorted(ranked)]


def serialize(result, fmt: Format, max_rows: int | None = None, store: ox.Store | None = None) -> tuple[bytes, bool]:
    """``(body, truncated)``: the result in ``fmt``, cut after ``max_rows`` rows or triples;
    ``store`` (the one queried) says which graph holds each triple, for N-Quads."""
    kind = kind_of(result)
    if kind not in fmt.kinds:
        raise ValueError(f"{fmt.name} cannot hold a {kind} result")
    if kind == BOOLEAN:
        return write_boolean(bool(result), fmt), False
    rows = list(islice(result, max_rows + 1)) if max_rows is not None else list(result)
    truncated = max_rows is not None and len(rows) > max_rows
    if truncated:
        rows = rows[:max_rows]
    if kind == GRAPH:
        return write_graph(rows, fmt, store), truncated
    names = [v.value for v in result.variables]
    return write_solutions(names, [[s[n] for n in names] for s in rows], fmt), truncated


def write_boolean(value: bool, fmt: Format) -> bytes:
    if fmt.name == "json":
        return json.dumps({"head": {}, "boolean": value}, separators=(",", ":")).encode()
    if fmt.name == "xml":
        return (f'<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
                f'<head/><boolean>{str(value).lower()}</boolean></sparql>\n').encode()
    return str(value).lower().encode()      # CSV and TSV define no boolean form; engines write this


def write_solutions(names: list[str], rows: list[list], fmt: Format) -> bytes:
    """``rows`` are lists of pyoxigraph terms (None where unbound), in ``names`` order."""
    if fmt.name == "json":
        bindings = [{n: _json_term(t) for n, t in zip(names, row) if t is not None} for row in rows]
        return json.dumps({"head": {"vars": names}, "results": {"bindings": bindings}},
                          ensure_ascii=False, separators=(",", ":")).encode()
    if fmt.name == "xml":
        out = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n<head>']
        out += [f"<variable name={quoteattr(n)}/>" for n in names]
        out.append("</head>\n<results>\n")
        for row in rows:
            out.append("<result>")
            out += [f"<binding name={quoteattr(n)}>{_xml_term(t)}</binding>"
                    for n, t in zip(names, row) if t is not None]
            out.append("</result>\n")
        out.append("</results>\n</sparql>\n")
        return "".join(out).encode()
    if fmt.name == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\r\n")
        writer.writerow(names)
        writer.writerows([_csv_term(t) for t in row] for row in rows)
        return buf.getvalue().encode()
    if fmt.name == "tsv":
        lines = ["\t".join("?" + n for n in names)]
        lines += ["\t".join(_tsv_term(t) for t in row) for row in rows]
        return ("\n".join(lines) + "\n").encode()
    raise ValueError(f"{fmt.name} is not a format for SELECT results")


def write_graph(triples, fmt: Format, store: ox.Store | None = None) -> bytes:
    """Sorted triples; Turtle is laid out by rdflib, as ``kg.ttl`` is (sorted, prefixes only
    where used); N-Quads put each triple in the graphs of ``store`` that hold it.

    >>> g, t = ox.NamedNode("http://example.org/g"), ox.NamedNode("http://example.org/t")
    >>> store = ox.Store(); store.add(ox.Quad(t, t, t, g))
    >>> print(write_graph([ox.Triple(t, t, t), ox.Triple(g, t, t)], FORMATS["nquads"], store).decode(), end="")
    <http://example.org/g> <http://example.org/t> <http://example.org/t> .
    <http://example.org/t> <http://example.org/t> <http://example.org/t> <http://example.org/g> .
    """
    if fmt.name == "nquads":
        return ox.serialize(sorted((ox.Quad(t.subject, t.predicate, t.object, g)
                                    for t in triples for g in _graphs_holding(t, store)), key=str),
                            format=ox.RdfFormat.N_QUADS)
    triples = sorted(triples, key=str)
    if fmt.name != "turtle":
        return ox.serialize(triples, format=_RDF_FORMATS[fmt.name], prefixes=PREFIXES)
    from rdflib import Graph

    g = Graph(bind_namespaces="none")
    for name, ns in PREFIXES.items():
        g.bind(name, ns)
    g.parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8"), format="nt")
    return g.serialize(format="turtle").encode("utf-8")


def _graphs_holding(t: ox.Triple, store: ox.Store | None) -> list:
    """The graphs of ``store`` that hold ``t`` (the default graph when none does)."""
    held = [q.graph_name for q in store.quads_for_pattern(t.subject, t.predicate, t.object)] if store else []
    return held or [ox.DefaultGraph()]


def _json_term(t) -> dict:
    if isinstance(t, ox.NamedNode):
        return {"type": "uri", "value": t.value}
    if isinstance(t, ox.BlankNode):
        return {"type": "bnode", "value": t.value}
    if isinstance(t, ox.Literal):
        d = {"type": "literal", "value": t.value}
        if t.language:
            d["xml:lang"] = t.language
        elif t.datatype.value != XSD_STRING:
            d["datatype"] = t.datatype.value
        return d
    return {"type": "triple", "value": {"subject": _json_term(t.subject), "predicate": _json_term(t.predicate),
                                        "object": _json_term(t.object)}}


def _xml_term(t) -> str:
    if isinstance(t, ox.NamedNode):
        return f"<uri>{escape(t.value)}</uri>"
    if isinstance(t, ox.BlankNode):
        return f"<bnode>{escape(t.value)}</bnode>"
    if isinstance(t, ox.Literal):
        if t.language:
            return f"<literal xml:lang={quoteattr(t.language)}>{escape(t.value)}</literal>"
        if t.datatype.value != XSD_STRING:
            return f"<literal datatype={quoteattr(t.datatype.value)}>{escape(t.value)}</literal>"
        return f"<literal>{escape(t.value)}</literal>"
    return (f"<triple><subject>{_xml_term(t.subject)}</subject><predicate>{_xml_term(t.predicate)}</predicate>"
            f"<object>{_xml_term(t.object)}</object></triple>")


def _csv_term(t) -> str:
    """CSV keeps only the lexical form (no datatype or language); blank nodes as ``_:label``."""
    if t is None:
        return ""
    if isinstance(t, ox.BlankNode):
        return "_:" + t.value
    if isinstance(t, (ox.NamedNode, ox.Literal)):
        return t.value
    return _tsv_term(t)


def _tsv_term(t) -> str:
    """TSV writes terms in Turtle syntax; tabs and newlines inside literals are escaped."""
    if t is None:
        return ""
    if isinstance(t, ox.NamedNode):
        return f"<{t.value}>"
    if isinstance(t, ox.BlankNode):
        return "_:" + t.value
    if isinstance(t, ox.Literal):
        s = (t.value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
             .replace("\r", "\\r").replace("\t", "\\t"))
        if t.language:
            return f'"{s}"@{t.language}'
        if t.datatype.value != XSD_STRING:
            return f'"{s}"^^<{t.datatype.value}>'
        return f'"{s}"'
    return f"<< {_tsv_term(t.subject)} {_tsv_term(t.predicate)} {_tsv_term(t.object)} >>"
