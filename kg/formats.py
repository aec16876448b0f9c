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
import re
from collections import defaultdict

import networkx as nx

from .namespaces import PA, RDF, RDFS, SKOS, XSD
from .ntriples import KG_PREFIXES, prefix_header, to_bytes, to_rdflib, turtle_body
from .ontology import ONTOLOGY_DIR

FORMATS = ("ttl", "nt", "jsonld", "trig", "graphml", "gexf", "neo4j")
CONTEXT_FILE = ONTOLOGY_DIR / "context.jsonld"
#: Relations between actors that graph tools draw as edges.
EDGES = ("locatedIn", "servesIn", "residentOf", "implements")
#: Classes whose instances are nodes in graph tools (posts and observations are attributes).
NODE_TYPES = ("Province", "Prefecture", "County", "Township", "Village", "Cadre", "Resident", "Enterprise",
              "Cooperative", "GovernmentBody", "Program")
ARRAY_DELIMITER = ";"


def ntriples(lines: list[str]) -> bytes:
    """N-Triples: the build's sorted lines as they are."""
    return to_bytes(lines)


def jsonld(lines: list[str]) -> bytes:
    """JSON-LD compacted with the project's context (``ontology/context.jsonld``, also
    written next to it for reuse), so keys read ``label``, ``locatedIn``, ``servesIn``
    rather than full IRIs.  The context is embedded, so the file reads offline.

    The graph is compacted here, one subject at a time from the sorted lines, because the
    context is the project's own and small (:func:`_terms`): rdflib's and PyLD's general
    compaction hold the whole graph and took 25 s for a 10 MB corpus.  The tests read the
    file back with both and check that it holds the same triples.
    """
    ctx = json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))["@context"]
    terms, names = _terms(ctx)
    nodes = []
    for subject, pairs in _by_subject(lines):
        node: dict = {"@id": subject.value}
        for p, o in pairs:
            key, value, many = _compact(p.value, o, terms, names)
            if key in node or many:
                old = node.get(key, [])
                node[key] = [*(old if isinstance(old, list) else [old]), value]
            else:
                node[key] = value
        nodes.append(json.dumps(node, ensure_ascii=False, sort_keys=True))
    head = json.dumps(ctx, ensure_ascii=False, indent=1, sort_keys=True)
    return ('{"@context": ' + head + ',\n"@graph": [\n' + ",\n".join(nodes) + "\n]}\n").encode("utf-8")


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


def _by_subject(lines: list[str]):
    import pyoxigraph as ox
    from itertools import groupby

    triples = ox.parse(to_bytes(lines), format=ox.RdfFormat.N_TRIPLES)
    for subject, group in groupby(triples, key=lambda t: t.subject):
        yield subject, [(t.predicate, t.object) for t in group]


def _compact(p: str, o, terms: dict, names: dict) -> tuple[str, object, bool]:
    """(key, value, whether the key takes a list) of one property value."""
    import pyoxigraph as ox

    if p == str(RDF.type):
        return "@type", _curie(o.value, names), False
    term, coercion, many = terms.get(p, (None, None, False))
    if isinstance(o, ox.NamedNode):
        if term and coercion == "@id":
            return term, _curie(o.value, names), many
        return _curie(p, names), {"@id": o.value}, False
    lang, dt = o.language, o.datatype.value if o.datatype else None
    if term and ((coercion == ("@language", lang) and lang) or (coercion == dt and coercion)
                 or (coercion is None and not lang and dt == str(XSD.string))):
        return term, o.value, many
    value = {"@value": o.value, "@language": lang} if lang else \
        o.value if dt == str(XSD.string) else {"@value": o.value, "@type": _curie(dt, names)}
    return _curie(p, names), value, False


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


def trig_head(lines: list[str]) -> bytes:
    """The start of ``kg.trig``: prefixes, and the knowledge graph as the default graph.

    TriG is written in pieces, so that each article's provenance can follow as a named
    graph (:func:`trig_graph`) as it is made, and no corpus's provenance is held whole.
    """
    return prefix_header(TRIG_PREFIXES) + b"\n{\n" + turtle_body(lines, TRIG_PREFIXES) + b"}\n"


def trig_graph(name: str, body: bytes) -> bytes:
    """One named graph of ``kg.trig``: an article's provenance (a Turtle body written with
    prefixes of :data:`TRIG_PREFIXES`), named by the article's context IRI."""
    return b"\n<" + name.encode("utf-8") + b"> {\n" + body + b"}\n"


def actor_graph(g) -> nx.MultiDiGraph:
    """The actors and their relations as a networkx graph with plain string attributes.

    ``g`` is an rdflib ``Graph`` or a :class:`kg.store.StoreView` of one.

    >>> from rdflib import Graph
    >>> g = Graph().parse(data='''@prefix pa: <https://w3id.org/pakg/ontology#> .
    ... @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
    ... <http://x/v> a pa:Village ; rdfs:label "胡家坪村" ; pa:locatedIn <http://x/t> .
    ... <http://x/t> a pa:Township ; rdfs:label "伏口镇" .''', format="turtle")
    >>> G = actor_graph(g)
    >>> G.nodes["http://x/v"]["label"], list(G.edges(data="relation"))
    ('胡家坪村', [('http://x/v', 'http://x/t', 'locatedIn')])
    """
    G = nx.MultiDiGraph()
    types = {PA[t]: t for t in NODE_TYPES}
    for node in sorted({s for s, t in g.subject_objects(RDF.type) if t in types}):
        type_ = next(types[t] for t in sorted(g.objects(node, RDF.type)) if t in types)
        G.add_node(str(node), label=str(g.value(node, RDFS.label) or ""), type=type_,
                   altLabels=ARRAY_DELIMITER.join(sorted(map(str, g.objects(node, SKOS.altLabel)))),
                   adminCode=str(g.value(node, PA.adminCode) or ""),
                   titles=ARRAY_DELIMITER.join(sorted(map(str, g.objects(node, PA.positionTitle)))),
                   articles=len(set(g.objects(node, PA.mentionedIn))))
    for rel in EDGES:
        for s, o in sorted(g.subject_objects(PA[rel])):
            if str(s) in G and str(o) in G:
                G.add_edge(str(s), str(o), key=rel, relation=rel)
    return G


def graphml(actors: nx.MultiDiGraph) -> bytes:
    """GraphML of :func:`actor_graph`."""
    buf = io.BytesIO()
    nx.write_graphml(actors, buf, encoding="utf-8")
    return buf.getvalue()


def gexf(actors: nx.MultiDiGraph) -> bytes:
    """GEXF 1.2 of :func:`actor_graph` for Gephi; networkx stamps today's date in it, which is dropped so that the
    file depends on the graph only."""
    buf = io.BytesIO()
    nx.write_gexf(actors, buf, encoding="utf-8", version="1.2draft")
    return re.sub(rb' lastmodifieddate="[^"]*"', b"", buf.getvalue())


def neo4j(actors: nx.MultiDiGraph) -> dict[str, bytes]:
    """CSV files for ``neo4j-admin database import full``: one node file per label, one
    relationship file per type, headers in the importer's syntax (``id:ID``, ``:LABEL``,
    ``:START_ID``, ``:END_ID``, ``:TYPE``; arrays split on ``;``) from :func:`actor_graph`."""
    G = actors
    files: dict[str, bytes] = {}
    by_type = defaultdict(list)
    for node, data in G.nodes(data=True):
        by_type[data["type"]].append((node, data))
    header = ["id:ID", "label", "altLabels:string[]", "adminCode", "positionTitles:string[]", "articles:int", ":LABEL"]
    for type_, rows in sorted(by_type.items()):
        files[f"nodes_{type_}.csv"] = _csv([header] + [
            [node, d["label"], d["altLabels"], d["adminCode"], d["titles"], d["articles"], f"{type_}{ARRAY_DELIMITER}Actor"]
            for node, d in sorted(rows)])
    for rel in EDGES:
        rows = sorted({(s, o) for s, o, r in G.edges(data="relation") if r == rel})
        if rows:
            files[f"relationships_{rel}.csv"] = _csv([[":START_ID", ":END_ID", ":TYPE"]] + [[s, o, rel] for s, o in rows])
    return files


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


