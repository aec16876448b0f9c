"""Every export format of a build, one function each, for the tools users take it into.

=================  =====================  ================================================
``--format``       file                   for
=================  =====================  ================================================
``ttl``            ``kg.ttl``             people, and any RDF tool (always written)
``nt``             ``kg.nt``              bulk loaders (one triple a line, sorted)
``jsonld``         ``kg.jsonld``          web developers; compacted with ``context.jsonld``
``trig``           ``kg.trig``            triple stores: the graph plus one named graph of
                                          provenance per article
``graphml``        ``kg.graphml``         Gephi, yEd, networkx
``gexf``           ``kg.gexf``            Gephi
``neo4j``          ``neo4j/*.csv``        ``neo4j-admin database import full``
=================  =====================  ================================================

Every function returns bytes (or, for Neo4j, file name → bytes) so that the caller
writes them atomically, and every output is deterministic: the same graph gives the
same bytes.
"""
from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import lru_cache
from itertools import groupby
from operator import itemgetter

import networkx as nx

from . import graphxml
from .actors import ARRAY_DELIMITER, EDGES, Actors
from .actors import actors as actors
from .namespaces import RDF, XSD
from .ntriples import (
    KG_PREFIXES,
    to_bytes,
    triples,
    turtle_parts,
)
from .ontology import ONTOLOGY_DIR
from .pieces import Pieces, subject_parts

FORMATS = ("ttl", "nt", "jsonld", "trig", "graphml", "gexf", "neo4j")
CONTEXT_FILE = ONTOLOGY_DIR / "context.jsonld"


def ntriples(lines: list[str], size: int = 10_000, pieces: Pieces | None = None) -> Iterator[bytes]:
    """N-Triples: the build's sorted lines as they are, ``size`` at a time (so that a large
    graph's file is written without being held whole), or by runs kept in ``pieces``."""
    if pieces is not None:
        yield from pieces.each("nt", lines, to_bytes)
        return
    for i in range(0, len(lines), size):
        yield to_bytes(lines[i:i + size])


def jsonld(lines: list[str], pieces: Pieces | None = None) -> Iterator[bytes]:
    """JSON-LD compacted with the project's context (``ontology/context.jsonld``, also
    written next to it for reuse), so keys read ``label``, ``locatedIn``, ``servesIn``
    rather than full IRIs.  The context is embedded, so the file reads offline.

    The graph is compacted here, one subject at a time from the sorted lines, and yielded
    in runs of subjects, because the context is the project's own and small
    (:func:`_terms`): rdflib's and PyLD's general compaction hold the whole graph and took
    25 s for a 10 MB corpus.  The tests read the file back with both and check that it
    holds the same triples.  With ``pieces``, runs whose lines the build before had are
    not compacted again (see :mod:`kg.pieces`).
    """
    head = json.dumps(_jsonld_context()[0], ensure_ascii=False, indent=1, sort_keys=True)
    yield ('{"@context": ' + head + ',\n"@graph": [').encode("utf-8")
    runs = pieces.each("jsonld", lines, _jsonld_nodes) if pieces is not None else \
        map(_jsonld_nodes, subject_parts(lines, 20_000))
    sep = b"\n"
    for nodes in runs:
        if nodes:
            yield sep + nodes
            sep = b",\n"
    yield b"\n\n]}\n" if sep == b"\n" else b"\n]}\n"     # an empty graph as json.dumps would have it


@lru_cache(maxsize=1)
def _jsonld_context() -> tuple[dict, dict, _Curies, Callable[[dict], str]]:
    """(the context, its terms, IRI → CURIE, the node encoder) of :func:`jsonld`."""
    ctx = json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))["@context"]
    terms, names = _terms(ctx)
    return ctx, terms, _Curies(names), json.JSONEncoder(ensure_ascii=False, sort_keys=True).encode


def _jsonld_nodes(lines: Sequence[str]) -> bytes:
    """The JSON-LD nodes of the subjects of ``lines`` (whole subjects), comma-separated."""
    _, terms, curies, encode = _jsonld_context()
    nodes = []
    for subject, group in groupby(triples(lines), key=itemgetter(0)):
        node: dict = {"@id": subject}
        for _, p, o in group:
            key, value, many = _compact(p, o, terms, curies)
            if key in node or many:
                old = node.get(key, [])
                node[key] = [*(old if isinstance(old, list) else [old]), value]
            else:
                node[key] = value
        nodes.append(encode(node))
    return ",\n".join(nodes).encode("utf-8")


def _terms(ctx: dict) -> tuple[dict, dict]:
    """(property IRI → (term, coercion, is a set), prefix IRI → prefix) of a context."""
    names = {v: k for k, v in ctx.items() if isinstance(v, str)}
    terms = {}
    for term, d in ctx.items():
        if isinstance(d, dict):
            prefix, local = d["@id"].split(":", 1)
            coercion = d.get("@type") or (("@language", d["@language"]) if "@language" in d else None)
            if isinstance(coercion, str) and coercion != "@id":
                p, l = coercion.split(":", 1)
                coercion = ctx[p] + l
            terms[ctx[prefix] + local] = (term, coercion, d.get("@container") == "@set")
    return terms, names


_RDF_TYPE, _XSD_STRING = str(RDF.type), str(XSD.string)
_NOT_A_TERM = (None, None, False)


def _compact(p: str, o, terms: dict, curies: dict) -> tuple[str, object, bool]:
    """(key, value, whether the key takes a list) of one property value (``o``: an IRI as a
    string, else a pyoxigraph term)."""
    if p == _RDF_TYPE:
        return "@type", curies[o if type(o) is str else o.value], False
    term, coercion, many = terms.get(p, _NOT_A_TERM)
    if type(o) is str:
        if term and coercion == "@id":
            return term, curies[o], many
        return curies[p], {"@id": o}, False
    lang, dt = o.language, o.datatype.value if o.datatype else None
    if term and ((coercion == ("@language", lang) and lang) or (coercion == dt and coercion)
                 or (coercion is None and not lang and dt == _XSD_STRING)):
        return term, o.value, many
    value = {"@value": o.value, "@language": lang} if lang else \
        o.value if dt == _XSD_STRING else {"@value": o.value, "@type": curies[dt]}
    return curies[p], value, False


class _Curies(dict):
    """IRI → :func:`_curie` of it, worked out once per IRI (a graph names few classes and
    properties, many times each)."""

    def __init__(self, names: dict):
        super().__init__()
        self.names = names

    def __missing__(self, iri: str) -> str:
        self[iri] = curie = _curie(iri, self.names)
        return curie


def _curie(iri: str, names: dict) -> str:
    """``pa:Village`` for an IRI in a namespace of the context (but pad:, whose IRIs read
    better whole)."""
    for ns, prefix in names.items():
        if iri.startswith(ns) and prefix != "pad" and "/" not in iri[len(ns):] and iri != ns:
            return f"{prefix}:{iri[len(ns):]}"
    return iri


def context() -> bytes:
    return CONTEXT_FILE.read_bytes()


TRIG_PREFIXES = (*KG_PREFIXES, "nif", "itsrdf", "prov")


def trig_head(lines: list[str]) -> Iterator[bytes]:
    """The start of ``kg.trig``: prefixes, and the knowledge graph as the default graph.

    TriG is written in pieces, so that each article's provenance can follow as a named
    graph (:func:`trig_graph`) as it is made, and no corpus's provenance is held whole.
    """
    parts = turtle_parts(lines, TRIG_PREFIXES)
    yield next(parts) + b"{\n"                  # the prefixes
    yield from parts
    yield b"}\n"


def trig_graph(name: str, body: bytes) -> tuple[bytes, bytes, bytes]:
    """One named graph of ``kg.trig``, in three chunks (the body is not copied): an
    article's provenance (a Turtle body written with prefixes of :data:`TRIG_PREFIXES`),
    named by the article's context IRI."""
    return b"\n<" + name.encode("utf-8") + b"> {\n", body, b"}\n"


def actor_graph(lines: Iterable[str]) -> nx.MultiDiGraph:
    """The actors and their relations (:mod:`kg.actors`) of a graph's N-Triples lines as
    a networkx graph with plain string attributes (and ``articles``, a count).

    >>> G = actor_graph([
    ...     '<http://x/v> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/pakg/ontology#Village> .',
    ...     '<http://x/v> <http://www.w3.org/2000/01/rdf-schema#label> "胡家坪村"@zh .',
    ...     '<http://x/v> <https://w3id.org/pakg/ontology#locatedIn> <http://x/t> .',
    ...     '<http://x/t> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/pakg/ontology#Township> .'])
    >>> G.nodes["http://x/v"]["label"], list(G.edges(data="relation"))
    ('胡家坪村', [('http://x/v', 'http://x/t', 'locatedIn')])
    """
    return to_networkx(actors(lines))


def to_networkx(graph: Actors) -> nx.MultiDiGraph:
    """A networkx graph of an actor graph, with the same node and edge order."""
    G = nx.MultiDiGraph()
    for node in graph.nodes:
        G.add_node(node.id, **dict(zip(node._fields[1:], node[1:])))
    for source, target, relation in graph.edges:
        G.add_edge(source, target, key=relation, relation=relation)
    return G


def graphml(actors: Actors, pieces: Pieces | None = None) -> Iterator[bytes]:
    """GraphML of an actor graph (see :mod:`kg.graphxml`), for Gephi, yEd and networkx."""
    return graphxml.graphml(actors, pieces)


def gexf(actors: Actors, pieces: Pieces | None = None) -> Iterator[bytes]:
    """GEXF 1.2 of an actor graph (see :mod:`kg.graphxml`) for Gephi."""
    return graphxml.gexf(actors, pieces)


def neo4j(actors: Actors, pieces: Pieces | None = None) -> dict[str, bytes]:
    """CSV files for ``neo4j-admin database import full``: one node file per label, one
    relationship file per type, headers in the importer's syntax (``id:ID``, ``:LABEL``,
    ``:START_ID``, ``:END_ID``, ``:TYPE``; arrays split on ``;``) from an actor graph
    (:mod:`kg.actors`).  With ``pieces``, runs of rows are made once (see :mod:`kg.pieces`)."""
    files: dict[str, bytes] = {}
    by_type = defaultdict(list)
    for node in actors.nodes:   # sorted by id
        by_type[node.type].append(node)
    header = ["id:ID", "label", "altLabels:string[]", "adminCode", "positionTitles:string[]", "articles:int", ":LABEL"]
    for type_, nodes in sorted(by_type.items()):
        rows = pieces.each_run("neo4j", nodes, _node_rows) if pieces is not None else [_node_rows(nodes)]
        files[f"nodes_{type_}.csv"] = b"".join([_csv([header]), *rows])
    by_relation = actors.pairs
    if by_relation is None:             # an actor graph made elsewhere
        by_relation = {rel: sorted({(s, o) for s, o, r in actors.edges if r == rel}) for rel in EDGES}
    for rel in EDGES:
        pairs = by_relation.get(rel)
        if pairs:
            rows = pieces.each_run(("neo4j", rel), pairs, lambda run, rel=rel: _csv([[s, o, rel] for s, o in run])) \
                if pieces is not None else [_csv([[s, o, rel] for s, o in pairs])]
            files[f"relationships_{rel}.csv"] = b"".join([_csv([[":START_ID", ":END_ID", ":TYPE"]]), *rows])
    return files


def _node_rows(nodes) -> bytes:
    return _csv([[n.id, n.label, n.altLabels, n.adminCode, n.titles, n.articles, f"{n.type}{ARRAY_DELIMITER}Actor"]
                 for n in nodes])


def neo4j_import_command(files: dict[str, bytes], folder: str = "neo4j") -> str:
    """The shell command that loads the CSV files into a new Neo4j database."""
    parts = ["neo4j-admin database import full neo4j", f"--array-delimiter='{ARRAY_DELIMITER}'"]
    parts += [f"--nodes={folder}/{f}" for f in sorted(files) if f.startswith("nodes_")]
    parts += [f"--relationships={folder}/{f}" for f in sorted(files) if f.startswith("relationships_")]
    return " \\\n    ".join(parts)


def _csv(rows) -> bytes:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return buf.getvalue().encode("utf-8")


def parse_formats(spec: list[str] | None) -> tuple[str, ...]:
    """``["nt,jsonld", "gexf"]`` → the formats asked for; ``all`` or nothing → every one.

    >>> parse_formats(["nt,gexf"]), parse_formats(None) == FORMATS
    (('ttl', 'nt', 'gexf'), True)
    """
    asked = [f.strip().lower() for item in (spec or ["all"]) for f in item.split(",") if f.strip()]
    if "all" in asked:
        return FORMATS
    unknown = sorted(set(asked) - set(FORMATS))
    if unknown:
        raise ValueError(f"unknown format {', '.join(unknown)} (choose from {', '.join(FORMATS)}, all)")
    return tuple(f for f in FORMATS if f == "ttl" or f in asked)


