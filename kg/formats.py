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
                                          (``import.sh``) or ``LOAD CSV``
                                          (``load.cypher``)
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
from itertools import chain, groupby
from operator import itemgetter
from typing import NamedTuple

import networkx as nx

from . import graphxml
from .graphxml import EDGE_ATTRIBUTES, NODE_ATTRIBUTES, edge_attributes, node_attributes
from .property_graph import (
    ARRAY_DELIMITER,
    EDGE_PROPERTIES,
    KIND_PROPERTIES,
    NODE_PROPERTIES,
    Edge,
    Node,
    PropertyGraph,
    group,
    kind,
    labels,
)
from .namespaces import RDF, XSD
from .ntriples import (
    KG_PREFIXES,
    to_bytes,
    triples,
    turtle_parts,
)
from .ontology import ONTOLOGY_DIR
from .remember import by_item_runs, by_runs

FORMATS = ("ttl", "nt", "jsonld", "trig", "graphml", "gexf", "neo4j")
CONTEXT_FILE = ONTOLOGY_DIR / "context.jsonld"


def ntriples(lines: list[str], size: int = 10_000) -> Iterator[bytes]:
    """N-Triples: the build's sorted lines as they are, about ``size`` at a time (so that a
    large graph's file is written without being held whole; see :mod:`kg.remember`)."""
    return by_runs("nt", lines, to_bytes, size)


def jsonld(lines: list[str]) -> Iterator[bytes]:
    """JSON-LD compacted with the project's context (``ontology/context.jsonld``, also
    written next to it for reuse), so keys read ``label``, ``locatedIn``, ``servesIn``
    rather than full IRIs.  The context is embedded, so the file reads offline.

    The graph is compacted here, one subject at a time from the sorted lines, and yielded
    in runs of subjects, because the context is the project's own and small
    (:func:`_terms`): rdflib's and PyLD's general compaction hold the whole graph and took
    25 s for a 10 MB corpus.  The tests read the file back with both and check that it
    holds the same triples.  A process that builds again does not compact again the runs
    whose lines the build before had (see :mod:`kg.remember`).
    """
    head = json.dumps(_jsonld_context()[0], ensure_ascii=False, indent=1, sort_keys=True)
    yield ('{"@context": ' + head + ',\n"@graph": [').encode("utf-8")
    runs = by_runs("jsonld", lines, _jsonld_nodes, 20_000)
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
    for subject, told in groupby(triples(lines), key=itemgetter(0)):
        node: dict = {"@id": subject}
        for _, p, o in told:
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


def to_networkx(graph: PropertyGraph) -> nx.MultiDiGraph:
    """A networkx graph of a property graph, with the same nodes and edges in the same
    order, and the attributes GraphML and GEXF give it (:mod:`kg.graphxml`; numbers as
    numbers), each edge keyed by its relation.

    >>> from kg.property_graph import project
    >>> G = to_networkx(project([
    ...     '<http://x/v> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/pakg/ontology#Village> .',
    ...     '<http://x/v> <http://www.w3.org/2000/01/rdf-schema#label> "胡家坪村"@zh .',
    ...     '<http://x/v> <https://w3id.org/pakg/ontology#locatedIn> <http://x/t> .',
    ...     '<http://x/t> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/pakg/ontology#Township> .']))
    >>> G.nodes["http://x/v"], list(G.edges(data="relation"))
    ({'class': 'Village', 'group': 'Place', 'label': '胡家坪村', 'articles': 0}, [('http://x/v', 'http://x/t', 'locatedIn')])
    """
    G = nx.MultiDiGraph()
    for node in graph.nodes:
        G.add_node(node.id, **{name: _PYTHON[NODE_ATTRIBUTES[name]](value) for name, value in node_attributes(node)})
    for edge in graph.edges:
        G.add_edge(edge.source, edge.target, key=edge.relation,
                   **{name: _PYTHON[EDGE_ATTRIBUTES[name]](value) for name, value in edge_attributes(edge)})
    return G


_PYTHON = {"string": str, "string[]": str, "int": int, "double": float}


def graphml(graph: PropertyGraph) -> Iterator[bytes]:
    """GraphML of a property graph (see :mod:`kg.graphxml`), for Gephi, yEd and networkx."""
    return graphxml.graphml(graph)


def gexf(graph: PropertyGraph) -> Iterator[bytes]:
    """GEXF 1.2 of a property graph (see :mod:`kg.graphxml`) for Gephi."""
    return graphxml.gexf(graph)


def neo4j(graph: PropertyGraph) -> dict[str, Iterable[bytes]]:
    """The files of ``neo4j/`` (file name -> its bytes, in chunks made as they are written:
    the tables of a 100 MB corpus's graph, whole, would add 250 MB to the writer): CSV files in the header format of
    ``neo4j-admin database import full``, one node file per class and one relationship
    file per relation and pair of groups, and the two ways to load them: ``import.sh``
    (the importer, into a stopped database) and ``load.cypher`` (``LOAD CSV`` on a
    running server).

    A node file's header is ``iri:ID(Group)``, its properties (``label``,
    ``altLabels:string[]``, ``value:double`` ..., :data:`~kg.property_graph.KIND_PROPERTIES`)
    and ``:LABEL`` (``Village;Place``); a relationship file's is ``:START_ID(Group)``,
    ``:END_ID(Group)``, ``:TYPE`` and the edge's evidence.  The ID space of a node is its
    group (:func:`~kg.property_graph.group`), which is also the label ``load.cypher``
    finds it by, under a uniqueness constraint on ``iri``.  Rows are written by runs
    (which a process that builds again keeps, :mod:`kg.remember`).
    """
    files: dict[str, Iterable[bytes]] = {}
    tables: list[_Table] = []
    by_class: dict[str, list[Node]] = defaultdict(list)
    for node in graph.nodes:   # sorted by id
        by_class[node.cls].append(node)
    for cls, nodes in sorted(by_class.items()):
        names = KIND_PROPERTIES[kind(cls)]
        columns = [(f"iri:ID({group(cls)})", "iri", "ID"), *((_column(n, NODE_PROPERTIES[n]), n, NODE_PROPERTIES[n])
                                                              for n in names), (":LABEL", "", "LABEL")]
        make = lambda run, names=names: _csv([[n.id, *(getattr(n, name) for name in names),
                                               ARRAY_DELIMITER.join(labels(n.cls))] for n in run])
        tables.append(_Table(f"nodes_{cls}.csv", columns, labels(cls), (group(cls),), nodes, make))
    groups = {node.id: group(node.cls) for node in graph.nodes}
    by_file: dict[tuple[str, str, str], list[Edge]] = defaultdict(list)
    for edge in graph.edges:
        by_file[edge.relation, groups[edge.source], groups[edge.target]].append(edge)
    properties = [(_column(name, type_), name, type_) for name, type_ in EDGE_PROPERTIES.items()]
    for (rel, start, end), edges in sorted(by_file.items()):
        columns = [(f":START_ID({start})", "", "START_ID"), (f":END_ID({end})", "", "END_ID"),
                   (":TYPE", "", "TYPE"), *properties]
        tables.append(_Table(f"relationships_{rel}_{start}_{end}.csv", columns, (rel,), (start, end), edges, _csv))
    for table in tables:
        rows = by_item_runs(("neo4j", table.name), table.rows, table.make)
        files[table.name] = chain([_csv([[c[0] for c in table.columns]])], rows)
    files["import.sh"] = [_import_script(tables).encode("utf-8")]
    files["load.cypher"] = [_load_script(tables).encode("utf-8")]
    return files


class _Table(NamedTuple):
    """One CSV file of :func:`neo4j`: its columns as (header, property, type), its labels
    (a relationship file: its type), its ID spaces (a relationship file: of its start and
    its end), its rows and how a run of them is written."""
    name: str
    columns: list[tuple[str, str, str]]
    labels: tuple[str, ...]
    spaces: tuple[str, ...]
    rows: list
    make: Callable[[Sequence], bytes]


def _column(name: str, type_: str) -> str:
    return name if type_ == "string" else f"{name}:{type_}"


def _import_script(tables: list[_Table]) -> str:
    """``import.sh``: the importer's command over every file, from the script's folder, into
    the database named by its argument (default ``neo4j``), replacing it if it exists."""
    files = [f"--nodes={t.name}" for t in tables if t.name.startswith("nodes_")]
    files += [f"--relationships={t.name}" for t in tables if t.name.startswith("relationships_")]
    return ("#!/bin/sh\n"
            "# Load the CSV files beside this script into a Neo4j 5 database, replacing it if it\n"
            "# exists.  Stop the database first (neo4j stop), run this as the user Neo4j runs as:\n"
            "#     sh import.sh [DATABASE]        (default: neo4j)\n"
            "# then start it again.  Sentences may span lines, hence --multiline-fields.\n"
            "set -e\n"
            'cd "$(dirname "$0")"\n'
            + " \\\n    ".join(['neo4j-admin database import full "${1:-neo4j}" --overwrite-destination',
                                 f"--array-delimiter='{ARRAY_DELIMITER}' --multiline-fields=true", *files]) + "\n")


def _load_script(tables: list[_Table]) -> str:
    """``load.cypher``: a uniqueness constraint on ``iri`` for each group, then each node
    file, then each relationship file, with ``LOAD CSV WITH HEADERS`` (rerunnable: it
    merges).  The files are read from the server's import folder (``file:///NAME``)."""
    groups = sorted({t.spaces[0] for t in tables if t.name.startswith("nodes_")})
    out = ["// Load the CSV files of this folder into a running Neo4j 5 server: copy them into its",
           "// import folder, then  cypher-shell -u neo4j -p PASSWORD -f load.cypher", ""]
    out += [f"CREATE CONSTRAINT {g.lower()}_iri IF NOT EXISTS FOR (n:{g}) REQUIRE n.iri IS UNIQUE;" for g in groups]
    for t in tables:
        out += ["", f"LOAD CSV WITH HEADERS FROM 'file:///{t.name}' AS row"]
        values = ", ".join(f"{name}: {_cypher_value(header, type_)}" for header, name, type_ in t.columns if name
                           and type_ not in ("ID", "LABEL"))
        if t.name.startswith("nodes_"):
            out.append(f"MERGE (n:{t.spaces[0]} {{iri: row.`{t.columns[0][0]}`}})")
            out.append("SET " + "".join(f"n:{label}, " for label in t.labels if label != t.spaces[0])
                       + f"n += {{{values}}};")
        else:
            (start, _, _), (end, _, _) = t.columns[:2]
            out.append(f"MATCH (a:{t.spaces[0]} {{iri: row.`{start}`}}), (b:{t.spaces[1]} {{iri: row.`{end}`}})")
            out.append(f"MERGE (a)-[r:{t.labels[0]}]->(b)")
            out.append(f"SET r += {{{values}}};")
    return "\n".join(out) + "\n"


def _cypher_value(header: str, type_: str) -> str:
    """The Cypher of one column's value in a row: typed, and null where the field is empty
    (LOAD CSV reads every field as text)."""
    field = f"row.`{header}`"
    if type_ == "int":
        return f"toInteger({field})"
    if type_ == "double":
        return f"toFloat({field})"
    value = f"split({field}, '{ARRAY_DELIMITER}')" if type_ == "string[]" else field
    return f"CASE WHEN {field} <> '' THEN {value} END"


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


